from blog.forms import WorkflowForm
from work import services
from work.models import Status


def item_state(item):
    """The item's state in words: Draft, In review, Scheduled or Live."""
    if item is None or item.status == Status.DRAFT:
        return "Draft"
    if item.status == Status.REVIEW:
        return "In review"
    return "Scheduled" if item.is_scheduled else "Live"


class WorkItemAdminForm(WorkflowForm):
    """A project's, publication's or event's form, with the posts' buttons
    and the same checks (the admin's form factory adds the model's fields)."""

    def may_publish(self):
        return services.may_publish(user=self.user, model=self._meta.model)

    def allowed_actions(self, item):
        return services.item_actions(model=self._meta.model, item=item, user=self.user)

    def state_of(self, item):
        return item_state(item)
