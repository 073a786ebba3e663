from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html

from blog.admin import uk_time
from heseltine.admin import EditConflictMixin, SlugAddressMixin, VersionsMixin
from work import services
from work.models import Event, Project, Publication, PublicationAuthor, Status


class WorkflowAdmin(SlugAddressMixin, EditConflictMixin, VersionsMixin):
    """Editors publish; contributors write drafts and cannot publish.

    For someone without the model's publish permission the publishing fields
    are read-only, so whatever a form sends, the row stays a draft; they change
    only their own drafts, and see only those and what is public.
    """

    prepopulated_fields = {"slug": ["title"]}
    # Links typed without a scheme are taken as https, as Django 6 will.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["status", "themes"]
    search_fields = ["title", "summary"]
    actions = ["publish_now", "unpublish"]
    readonly_fields = ["state"]

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
        if not allowed or obj is None or self.may_publish(request):
            return allowed
        return obj.status == Status.DRAFT and obj.created_by_id == request.user.pk

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.may_publish(request):
            fields += ["status", "published_at"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Status.PUBLISHED and obj.published_at is None:
            obj.published_at = services.timezone.now()
        if obj.status == Status.DRAFT:
            obj.published_at = None
        super().save_model(request, obj, form, change)

    @admin.display(description="state", ordering="status")
    def state(self, item):
        if not item.pk:
            return "Draft (not saved yet)"
        if item.is_scheduled:
            label = f"Scheduled for {uk_time(item.published_at)}"
        elif item.is_published:
            label = "Live"
        else:
            label = item.get_status_display()
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


PUBLISHING = ("Publishing", {"fields": ["status", "published_at", "state"]})


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
