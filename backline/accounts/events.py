from backline.core.events import DomainEvent

# payload: workspace_id, actor_id
workspace_created = DomainEvent("workspace_created")
# payload: invitation_id, workspace_id, email, actor_id
member_invited = DomainEvent("member_invited")
# payload: membership_id, workspace_id, user_id, invitation_id (or None)
member_joined = DomainEvent("member_joined")
# payload: invitation_id, workspace_id, user_id, answer ("accepted" or "declined")
invitation_answered = DomainEvent("invitation_answered")
# payload: workspace_id, user_id, actor_id
member_removed = DomainEvent("member_removed")
