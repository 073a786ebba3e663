from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed
from django.urls import path
from django.utils import formats, timezone
from django.utils.html import format_html

from blog.admin import WorkflowMovesMixin, uk_time
from blog.forms import workflow_action
from heseltine.admin import EditConflictMixin, SlugAddressMixin, VersionsMixin
from work import services
from work.forms import WorkItemAdminForm, item_state
from work.models import Event, Project, Publication, PublicationAuthor


class WorkflowAdmin(
    WorkflowMovesMixin, SlugAddressMixin, EditConflictMixin, VersionsMixin
):
    """Projects, publications and events move through the posts' workflow.

    The change page offers only the moves this user may make, as buttons
    (work.services.item_actions); the form checks them again on the server.
    Contributors change only their own drafts, and see only those and what
    is public.
    """

    form = WorkItemAdminForm
    change_form_template = "admin/work/change_form.html"
    add_form_template = "admin/work/change_form.html"
    prepopulated_fields = {"slug": ["title"]}
    # Links typed without a scheme are taken as https, as Django 6 will.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["status", "themes"]
    search_fields = ["title", "summary"]
    actions = ["publish_now", "unpublish"]
    readonly_fields = ["state"]

    class Media:
        js = ["blog/enter-presses.js"]

    def may_publish(self, request):
        return services.may_publish(user=request.user, model=self.model)

    def has_publish_permission(self, request):
        return self.may_publish(request)

    def get_queryset(self, request):
        # A contributor finds no one else's unpublished work here, as with posts.
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user, may_publish=self.may_publish(request))
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return services.is_editable_by(item=obj, user=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        form_class.user = request.user
        form_class.workflow_action = workflow_action(request.POST)
        return form_class

    def get_urls(self):
        opts = self.model._meta
        withdraw = path(
            "<path:object_id>/withdraw/",
            self.admin_site.admin_view(self.withdraw_view),
            name=f"{opts.app_label}_{opts.model_name}_withdraw",
        )
        return [withdraw, *super().get_urls()]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def make_move(self, item, action, form, by):
        match action:
            case services.SUBMIT:
                services.item_submit_for_review(item=item, by=by)
            case services.PUBLISH:
                services.item_publish(item=item, by=by)
            case services.SCHEDULE:
                services.item_publish(
                    item=item, by=by, at=form.cleaned_data["publish_at"]
                )
            case services.REQUEST_CHANGES:
                services.item_request_changes(
                    item=item, by=by, note=form.cleaned_data["review_note"]
                )
            case services.UNPUBLISH:
                services.item_unpublish(item=item, by=by)

    def done_message(self, action, item, user):
        return done_message(action, item)

    def withdraw_view(self, request, object_id):
        # A move outside the form: the item in review is not editable.
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(
                request, self.model._meta, object_id
            )
        try:
            services.item_withdraw(item=item, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            message = done_message(services.WITHDRAW, item)
            self.message_user(request, message, messages.SUCCESS)
        return self._back_to(item)

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        context.update(
            {
                "workflow_actions": services.item_actions(
                    model=self.model, item=obj, user=request.user
                ),
                "item_state": item_state(obj),
                "sent_back": obj and services.sent_back_note(obj),
                "workflow_events": list(obj.events.select_related("by")[:5])
                if obj
                else [],
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        item = self.get_object(request, unquote(object_id))
        events = list(item.events.select_related("by")) if item else []
        context = {"workflow_events": events, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    @admin.display(description="state", ordering="status")
    def state(self, item):
        if not item.pk:
            return "Draft (not saved yet)"
        label = item_state(item)
        if item.is_scheduled:
            label = f"Scheduled for {uk_time(item.published_at)}"
        link = "View" if item.is_published else "Preview"
        return format_html(
            '{} <a href="{}" aria-label="{} “{}”">{}</a>',
            label,
            item.get_absolute_url(),
            link,
            item.title,
            link,
        )

    def _run(self, request, queryset, service, done):
        count = 0
        for item in queryset:
            try:
                service(item=item, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                self.log_change(request, item, f"{done.capitalize()} (admin action).")
                count += 1
        if count:
            meta = self.model._meta
            noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
            self.message_user(request, f"{count} {noun} {done}.", messages.SUCCESS)

    @admin.action(description="Publish selected now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._run(request, queryset, services.item_publish, "published")

    @admin.action(
        description="Unpublish selected (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._run(request, queryset, services.item_unpublish, "unpublished")


def done_message(action, item):
    """What a workflow move did, in words, for the message after it."""
    title = f"“{item.title}”"
    match action:
        case services.SUBMIT:
            return (
                f"{title} is in review: the editors have been told. It cannot be "
                "edited while it is in review, except by an editor; to change "
                "something, withdraw it from review below."
            )
        case services.PUBLISH:
            return f"{title} is published: it is on the site now."
        case services.SCHEDULE:
            when = timezone.localtime(item.published_at)
            return (
                f"{title} is scheduled: it goes live by itself on "
                f"{formats.date_format(when, 'j F Y')} at "
                f"{formats.time_format(when, 'H:i')} (UK time)."
            )
        case services.REQUEST_CHANGES:
            return f"{title} is sent back to its author as a draft, with your note."
        case services.UNPUBLISH:
            return f"{title} is unpublished: it is a draft and not public."
        case services.WITHDRAW:
            return (
                f"{title} is withdrawn from review: it is a draft again, and you "
                "can edit it below."
            )
    return f"{title} is saved."


PUBLISHING = ("Publishing", {"fields": ["state"]})


@admin.register(Project)
class ProjectAdmin(WorkflowAdmin):
    list_display = ["title", "state", "started_on", "ended_on", "updated_at"]
    search_fields = ["title", "summary", "body"]
    autocomplete_fields = ["themes", "people", "partners", "posts", "publications"]
    fieldsets = [
        ("Content", {"fields": ["title", "slug", "summary", "body"]}),
        ("Dates, where known", {"fields": ["started_on", "ended_on"]}),
        ("Who", {"fields": ["people", "partners"]}),
        PUBLISHING,
        ("Related", {"fields": ["themes", "posts", "publications"]}),
    ]


class PublicationAuthorInline(admin.TabularInline):
    model = PublicationAuthor
    fields = ["person", "order"]
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Publication)
class PublicationAdmin(WorkflowAdmin):
    list_display = ["title", "state", "kind", "year", "updated_at"]
    list_filter = ["status", "kind", "themes"]
    inlines = [PublicationAuthorInline]
    autocomplete_fields = ["themes", "posts"]
    fieldsets = [
        (
            "Content",
            {"fields": ["title", "slug", "kind", "summary", "credit", "publisher"]},
        ),
        ("When", {"fields": ["published_on", "year"]}),
        (
            "Where to read it",
            {
                "fields": ["pdf", "external_url"],
                "description": "Attach the PDF, give a link to it elsewhere, or "
                "both. With neither, its page says no copy is online.",
            },
        ),
        PUBLISHING,
        ("Related", {"fields": ["themes", "posts"]}),
    ]


@admin.register(Event)
class EventAdmin(WorkflowAdmin):
    list_display = ["title", "state", "starts_at_uk", "where", "updated_at"]
    autocomplete_fields = ["themes", "speakers"]
    date_hierarchy = "starts_at"
    fieldsets = [
        ("Content", {"fields": ["title", "slug", "summary", "body"]}),
        (
            "When and where",
            {"fields": ["starts_at", "ends_at", "venue", "is_online"]},
        ),
        ("Links", {"fields": ["booking_url", "recording_url"]}),
        ("Speakers", {"fields": ["speakers"]}),
        PUBLISHING,
        ("Related", {"fields": ["themes"]}),
    ]

    @admin.display(description="starts (UK time)", ordering="starts_at")
    def starts_at_uk(self, event):
        return uk_time(event.starts_at)
