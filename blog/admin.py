import re
from html import unescape

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join, strip_tags
from taggit.models import Tag

from blog import previews, services
from blog.forms import PostAdminForm, TagAdminForm, post_state, workflow_action
from blog.models import NotificationSettings, Post, PostAuthor, ShareLink
from heseltine.admin import (
    EditConflictMixin,
    SlugAddressMixin,
    TextListFilter,
    VersionsMixin,
)
from institute.models import Person, ResearchTheme


def uk_time(value):
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "j M Y, H:i")


def _autocomplete_if_registered(admin_site, fields):
    # Autocomplete needs the related model's admin (the institute app's);
    # without it the plain select still works.
    models = {"person": Person, "themes": ResearchTheme}
    return [name for name in fields if admin_site.is_registered(models[name])]


BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|h[1-6]|li|blockquote|figure|tr)>")


def body_as_text(html):
    """Rich text as plain text, a paragraph to a line: for reading, not markup."""
    text = unescape(strip_tags(BLOCK_END.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


MOVE_COMMENTS = {
    services.SUBMIT: "Submitted for review.",
    services.PUBLISH: "Published.",
    services.SCHEDULE: "Scheduled.",
    services.REQUEST_CHANGES: "Sent back with changes requested.",
    services.UNPUBLISH: "Unpublished (back to draft).",
}

# On a page this user may only read: the body as text, the slug with its address.
READ_ONLY_AS = {"body": "body_text", "slug": "slug_address"}


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["workflow_emails"]


class PostAuthorInline(admin.TabularInline):
    model = PostAuthor
    fields = ["person", "order", "role"]
    readonly_fields = ["role"]
    min_num = 1
    extra = 0
    validate_min = True

    def get_autocomplete_fields(self, request):
        return _autocomplete_if_registered(self.admin_site, ["person"])


class WorkflowFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("sent_back", "Sent back"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Post.Status.DRAFT)
            case "sent_back":
                # Drafts an editor sent back: PostAdmin.get_queryset annotates.
                return queryset.filter(is_sent_back=True)
            case "review":
                return queryset.filter(status=Post.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.public()
        return queryset


def tags_of(posts):
    """The tags used by `posts`: a contributor learns no tag from others' drafts."""
    return Tag.objects.filter(
        taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Post),
        taggit_taggeditem_items__object_id__in=posts.values("pk"),
    ).distinct()


class TagFilter(TextListFilter):
    title = "tag"
    parameter_name = "tag"
    label = "Tag name"
    suggest_url_name = "admin:blog_post_tag_suggestions"

    def queryset(self, request, queryset):
        if self.value():
            # Tags are case-insensitive: one tag has this name, or none.
            return queryset.filter(tags__name__iexact=self.value())
        return queryset


class AuthorFilter(TextListFilter):
    title = "author"
    parameter_name = "author"
    label = "Name, or part of it"
    suggest_url_name = "admin:blog_post_author_suggestions"

    def queryset(self, request, queryset):
        if self.value():
            bylines = PostAuthor.objects.filter(
                post=OuterRef("pk"), person__name__icontains=self.value()
            )
            return queryset.filter(Exists(bylines))
        return queryset


class WorkflowMovesMixin:
    """The admin's side of the workflow's buttons, for posts and for the
    institute's work: once the form and everything with it are saved, make
    the move the pressed button asked for (the form has checked that this
    user may), then say what it did and show the page again.

    Subclasses say how to make a move (`make_move`) and what to say
    (`done_message`).
    """

    def make_move(self, item, action, form, by):
        raise NotImplementedError

    def done_message(self, action, item, user):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.make_move(form.instance, form.workflow_action, form, request.user)
        request.workflow_done = form.workflow_action

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_move(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_move(request, obj) or super().response_change(request, obj)

    def _after_move(self, request, item):
        action = getattr(request, "workflow_done", services.SAVE)
        if action == services.SAVE:
            return None
        message = self.done_message(action, item, request.user)
        self.message_user(request, message, messages.SUCCESS)
        return self._back_to(item)

    def _back_to(self, item):
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
        )


@admin.register(Post)
class PostAdmin(WorkflowMovesMixin, SlugAddressMixin, EditConflictMixin, VersionsMixin):
    form = PostAdminForm
    inlines = [PostAuthorInline]
    # What an editor scans, narrow enough for 1280 px beside the filters;
    # themes and tags are filters, and on each post's page.
    list_display = [
        "title",
        "state",
        "author_names",
        "published_at_uk",
        "updated_at_uk",
    ]
    # Tags and people are typed, not listed: there are hundreds of them.
    list_filter = [WorkflowFilter, TagFilter, AuthorFilter, "themes", "published_at"]
    search_fields = ["title", "standfirst", "body"]
    # "3 results (Show all)" rather than a second count of every post.
    show_full_result_count = False
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "reading_time_label",
        "preview_links",
        "last_change",
        "workflow_state",
        "body_text",
        "slug_address",
    ]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    change_form_template = "admin/blog/post/change_form.html"
    add_form_template = "admin/blog/post/change_form.html"
    fieldsets = [
        ("Content", {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Image", {"fields": ["featured_image", "featured_image_alt"]}),
        (
            "Publishing",
            {"fields": ["workflow_state", "is_date_only", "preview_links"]},
        ),
        (
            "Metadata",
            {"fields": ["themes", "tags", "reading_time_label", "last_change"]},
        ),
    ]

    class Media:
        js = ["blog/tag-suggest.js", "blog/enter-presses.js"]

    def get_queryset(self, request):
        # A contributor finds no one else's unpublished post here: not in the
        # list, and its pages answer as for a post that does not exist. The
        # search document is the database's to keep (a trigger on
        # PostgreSQL), never shown here, and about 0.7 KB a post.
        bylines = PostAuthor.objects.select_related("person").order_by("order", "pk")
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related(Prefetch("post_authors", bylines, to_attr="author_list"))
            .select_related("updated_by")
            .defer("search_document")
            .with_sent_back()
        )

    def get_autocomplete_fields(self, request):
        return _autocomplete_if_registered(self.admin_site, ["themes"])

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: the body as text to read, not its markup.
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            READ_ONLY_AS.get(field, field)
                            for field in options["fields"]
                        ],
                    },
                )
                for name, options in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        form_class.user = request.user
        form_class.workflow_action = workflow_action(request.POST)
        tags = form_class.base_fields.get("tags")
        if tags is not None:
            tags.widget.attrs.update(
                {
                    "data-suggest-url": reverse("admin:blog_post_tag_suggestions"),
                    "autocomplete": "off",
                }
            )
        return form_class

    def get_urls(self):
        def view(method, name):
            return path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(method),
                name=f"blog_post_{name.replace('-', '_')}",
            )

        return [
            view(self.withdraw_view, "withdraw"),
            view(self.share_view, "share"),
            view(self.revoke_view, "revoke-link"),
            path(
                "email-notifications/",
                self.admin_site.admin_view(self.notifications_view),
                name="blog_post_notifications",
            ),
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions),
                name="blog_post_tag_suggestions",
            ),
            path(
                "author-suggestions/",
                self.admin_site.admin_view(self.author_suggestions),
                name="blog_post_author_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Existing tag names containing what the editor has typed, as JSON."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()
        names = []
        if term:
            names = list(
                tags_of(Post.objects.visible_to(request.user))
                .filter(name__icontains=term)
                .order_by("name")
                .values_list("name", flat=True)[:10]
            )
        return JsonResponse({"tags": names})

    def author_suggestions(self, request):
        """Names of people containing what the editor has typed, as JSON."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()
        names = []
        if term:
            names = list(
                Person.objects.filter(name__icontains=term)
                .order_by("name")
                .values_list("name", flat=True)
                .distinct()[:10]
            )
        return JsonResponse({"names": names})

    # Permissions: contributors edit only their own drafts; editors publish.

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return services.post_is_editable_by(post=obj, user=request.user)

    def has_publish_permission(self, request):
        return request.user.has_perm("blog.publish_post")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        before = None
        if change:
            before = Post.objects.filter(pk=obj.pk).values("status", "slug").first()
        super().save_model(request, obj, form, change)
        if before and before["status"] == Post.Status.PUBLISHED:
            services.post_record_old_slug(post=obj, old_slug=before["slug"])

    def make_move(self, post, action, form, by):
        match action:
            case services.SUBMIT:
                services.post_submit_for_review(post=post, by=by)
            case services.PUBLISH:
                services.post_publish(post=post, by=by)
            case services.SCHEDULE:
                services.post_publish(
                    post=post, by=by, at=form.cleaned_data["publish_at"]
                )
            case services.REQUEST_CHANGES:
                services.post_request_changes(
                    post=post, by=by, note=form.cleaned_data["review_note"]
                )
            case services.UNPUBLISH:
                services.post_unpublish(post=post, by=by)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._name_the_move(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._name_the_move(request, entry)
        return entry

    def _name_the_move(self, request, entry):
        # The version kept by this save says what the button did, first.
        done = MOVE_COMMENTS.get(getattr(request, "workflow_done", None))
        if done and reversion.is_active():
            reversion.set_comment(f"{done} {entry.get_change_message()}".strip())

    def done_message(self, action, post, user):
        title = f"“{post.title}”"
        when = post.published_at and timezone.localtime(post.published_at)
        editor = user.has_perm("blog.publish_post")
        match action:
            case services.SUBMIT if editor:
                return f"{title} is in review: the other editors have been told."
            case services.SUBMIT:
                return (
                    f"{title} is in review: the editors have been told. You "
                    "cannot edit it while it is in review; to change something, "
                    "withdraw it from review below."
                )
            case services.PUBLISH:
                return f"{title} is published: it is on the site now."
            case services.SCHEDULE:
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
                    f"{title} is withdrawn from review: it is a draft again, and "
                    "you can edit it below."
                )
        return f"{title} is saved."

    # Workflow moves and links that are not the form's (a contributor may
    # withdraw a post they can no longer edit).

    def _post_or_redirect(self, request, object_id):
        post = self.get_object(request, unquote(object_id))
        if post is None:
            return None, self._get_obj_does_not_exist_redirect(
                request, self.model._meta, object_id
            )
        return post, None

    def withdraw_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post, missing = self._post_or_redirect(request, object_id)
        if missing:
            return missing
        try:
            services.post_withdraw(post=post, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                self.done_message(services.WITHDRAW, post, request.user),
                messages.SUCCESS,
            )
        return self._back_to(post)

    def share_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post, missing = self._post_or_redirect(request, object_id)
        if missing:
            return missing
        if not previews.may_share(post, request.user):
            raise PermissionDenied
        try:
            days = int(request.POST.get("days", ""))
            link = previews.make_link(post, by=request.user, days=days)
        except (ValueError, ValidationError):
            self.message_user(
                request, "Choose how long the link should work.", messages.ERROR
            )
        else:
            self.message_user(
                request,
                f"A new link for reviewers works until "
                f"{uk_time(link.expires_at)} (UK time): copy it from Links for "
                "reviewers below.",
                messages.SUCCESS,
            )
        return self._back_to(post)

    def revoke_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post, missing = self._post_or_redirect(request, object_id)
        if missing:
            return missing
        link = post.share_links.filter(pk=request.POST.get("link") or 0).first()
        if link is None or not previews.may_revoke(link, request.user):
            raise PermissionDenied
        previews.revoke(link, by=request.user)
        self.message_user(
            request,
            "The link is revoked: whoever follows it now is told it no longer works.",
            messages.SUCCESS,
        )
        return self._back_to(post)

    def notifications_view(self, request):
        """Each user's own choice of workflow emails."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings_row = NotificationSettings.objects.filter(user=request.user).first()
        form = NotificationSettingsForm(
            request.POST or None,
            instance=settings_row or NotificationSettings(user=request.user),
        )
        if request.method == "POST" and form.is_valid():
            form.save()
            wanted = form.cleaned_data["workflow_emails"]
            will = "will" if wanted else "will no longer"
            self.message_user(
                request,
                f"You {will} be emailed about the progress of posts and work.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Email notifications",
            "subtitle": None,
            "opts": self.model._meta,
            "form": form,
            "has_email": bool(request.user.email),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/blog/notifications.html", context)

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        user = request.user
        actions = services.post_actions(post=obj, user=user)
        links = []
        if obj is not None:
            links = [
                {"link": link, "url": settings.SITE_URL + link.get_absolute_url()}
                for link in obj.share_links.select_related("created_by")
                if link.works and not previews.maker_left(link)
            ]
            for item in links:
                item["may_revoke"] = previews.may_revoke(item["link"], user)
        context.update(
            {
                "workflow_actions": actions,
                "post_state": post_state(obj),
                "sent_back": obj and services.post_sent_back_note(obj),
                "workflow_events": list(obj.events.select_related("by")[:5])
                if obj
                else [],
                "share_links": links,
                "may_share": obj is not None and previews.may_share(obj, user),
                "lifetimes": previews.LIFETIMES,
                "default_days": previews.DEFAULT_DAYS,
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        post = self.get_object(request, unquote(object_id))
        events = list(post.events.select_related("by")) if post else []
        context = {"workflow_events": events, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    # Changelist columns

    @admin.display(description="state", ordering="status")
    def state(self, post):
        if post.is_scheduled:
            label = "Scheduled"
        elif post.is_published:
            label = "Live"
        elif post.is_sent_back:
            label = "Draft, sent back"
        else:
            label = post.get_status_display()
        link = "View" if post.is_published else "Preview"
        return format_html(
            '{}<br><a href="{}" aria-label="{} “{}”">{}</a>',
            label,
            post.get_absolute_url(),
            link,
            post.title,
            link,
        )

    @admin.display(description="authors")
    def author_names(self, post):
        return ", ".join(str(author.person) for author in post.author_list)

    @admin.display(description="publication (UK time)", ordering="published_at")
    def published_at_uk(self, post):
        if post.is_date_only and post.published_at:  # the day alone is known
            return formats.date_format(timezone.localtime(post.published_at), "j M Y")
        return uk_time(post.published_at)

    @admin.display(description="last changed", ordering="updated_at")
    def updated_at_uk(self, post):
        if post.updated_by is None:
            return uk_time(post.updated_at)
        return format_html(
            "{}<br>by {}", uk_time(post.updated_at), post.updated_by.get_username()
        )

    @admin.display(description="reading time")
    def reading_time_label(self, post):
        return f"{post.reading_time} min"

    @admin.display(description="last change")
    def last_change(self, post):
        if not post.pk:
            return "—"
        return f"{uk_time(post.updated_at)} by {post.updated_by or 'unknown'}"

    @admin.display(description="state")
    def workflow_state(self, post):
        if not post.pk:
            return "Draft (not saved yet)"
        if post.is_scheduled:
            return f"Scheduled: goes live on {uk_time(post.published_at)} (UK time)"
        if post.is_published:
            return f"Live since {uk_time(post.published_at)} (UK time)"
        return post_state(post)

    @admin.display(description="slug")
    def slug_address(self, post):
        return format_html(
            "{}<br>Address: {}", post.slug, settings.SITE_URL + post.get_absolute_url()
        )

    @admin.display(description="body")
    def body_text(self, post):
        paragraphs = body_as_text(post.body).split("\n\n")
        return format_html_join("", "<p>{}</p>", ((text,) for text in paragraphs))

    @admin.display(description="preview")
    def preview_links(self, post):
        if not post.pk:
            return "Save the post to preview it."
        return format_html(
            '<a href="{}">Preview this post on the site</a> (its editors and '
            "authors only; for others, see Links for reviewers below).",
            post.get_absolute_url(),
        )

    # Actions

    def _run(self, request, queryset, service, done):
        count = 0
        for post in queryset:
            try:
                service(post=post, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                # The post's History shows what the action did, and who did it.
                self.log_change(request, post, f"{done.capitalize()} (admin action).")
                count += 1
        if count:
            noun = "post" if count == 1 else "posts"
            self.message_user(request, f"{count} {noun} {done}.", messages.SUCCESS)

    @admin.action(
        description="Submit selected posts for review", permissions=["change"]
    )
    def submit_for_review(self, request, queryset):
        self._run(
            request, queryset, services.post_submit_for_review, "submitted for review"
        )

    @admin.action(description="Publish selected posts now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._run(request, queryset, services.post_publish, "published")

    @admin.action(
        description="Unpublish selected posts (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._run(request, queryset, services.post_unpublish, "unpublished")


class TagMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        label="Merge into",
        help_text="Posts keep all their tags: the selected tags become this one.",
    )


# Replaces taggit's own Tag admin, whose merge page checks no permission.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "item_count"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(item_count=Count("taggit_taggeditem_items"))
        )

    @admin.display(description="times used", ordering="item_count")
    def item_count(self, tag):
        return tag.item_count

    @admin.action(
        description="Merge selected tags into another tag", permissions=["delete"]
    )
    def merge_tags(self, request, queryset):
        form = TagMergeForm(request.POST if "apply" in request.POST else None)
        form.fields["target"].queryset = Tag.objects.exclude(
            pk__in=queryset.values("pk")
        ).order_by("name")
        if form.is_valid():
            target = form.cleaned_data["target"]
            names = [tag.name for tag in queryset]
            for source in list(queryset):
                services.tag_merge(source=source, target=target)
            self.message_user(
                request,
                f"Merged {', '.join(names)} into {target.name}.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/blog/tag_merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge tags",
                "opts": self.model._meta,
                "tags": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Every reviewer's link, for editors to see and revoke; links are made on
    a post's page. Revoked and expired links are kept: they answer "no longer
    works" rather than "does not exist"."""

    list_display = ["post", "state", "created_by", "created_at_uk", "expires_at_uk"]
    list_select_related = ["post", "created_by"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["post__title"]
    readonly_fields = [
        "post",
        "address",
        "state",
        "created_by",
        "created_at_uk",
        "expires_at_uk",
        "revoked_at_uk",
        "revoked_by",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="state")
    def state(self, link):
        if link.is_revoked:
            return "Revoked"
        return "Expired" if link.is_expired else "Works"

    @admin.display(description="address")
    def address(self, link):
        return settings.SITE_URL + link.get_absolute_url()

    @admin.display(description="made (UK time)", ordering="created_at")
    def created_at_uk(self, link):
        return uk_time(link.created_at)

    @admin.display(description="works until (UK time)", ordering="expires_at")
    def expires_at_uk(self, link):
        return uk_time(link.expires_at)

    @admin.display(description="revoked (UK time)")
    def revoked_at_uk(self, link):
        return uk_time(link.revoked_at)

    @admin.action(description="Revoke selected links", permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for link in queryset.filter(revoked_at__isnull=True):
            if previews.may_revoke(link, request.user):
                previews.revoke(link, by=request.user)
                count += 1
        noun = "link" if count == 1 else "links"
        self.message_user(request, f"{count} {noun} revoked.", messages.SUCCESS)
