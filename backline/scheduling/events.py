from backline.core.events import DomainEvent

# payload: poll_id, workspace_id, actor_id
poll_opened = DomainEvent("poll_opened")
# payload: event_id, workspace_id, actor_id
act_event_scheduled = DomainEvent("act_event_scheduled")
# payload: event_id, workspace_id, actor_id, reason
act_event_cancelled = DomainEvent("act_event_cancelled")
