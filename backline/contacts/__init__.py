"""The contacts book of a workspace: people outside Backline (promoters, bookers, press), CSV import
and export, finding and merging duplicates, and each contact's history (gathered from the apps that
register a history source: conversations and mail)."""
