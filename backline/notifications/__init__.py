"""In-app notifications (the bell and its page), each person's preferences per type and channel, the
daily digest, and the receivers that turn the lower apps' domain events into notifications."""
