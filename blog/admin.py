from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from taggit.models import Tag

from blog import previews, services
from blog.forms import PostAdminForm, TagAdminForm
from blog.models import Post, PostAuthor
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
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Post.Status.DRAFT)
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


@admin.register(Post)
class PostAdmin(SlugAddressMixin, EditConflictMixin, VersionsMixin):
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
    readonly_fields = ["reading_time_label", "preview_links", "last_change"]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    fieldsets = [
        ("Content", {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Image", {"fields": ["featured_image", "featured_image_alt"]}),
        (
            "Publishing",
            {"fields": ["status", "published_at", "is_date_only", "preview_links"]},
        ),
        (
            "Metadata",
            {"fields": ["themes", "tags", "reading_time_label", "last_change"]},
        ),
    ]

    class Media:
        js = ["blog/tag-suggest.js"]

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
        )

    def get_autocomplete_fields(self, request):
        return _autocomplete_if_registered(self.admin_site, ["themes"])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        form_class.user = request.user
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
        return [
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

    def get_object(self, request, object_id, from_field=None):
        post = super().get_object(request, object_id, from_field)
        if post is not None and previews.may_share(post, request.user):
            # Who will make the reviewer's link (see preview_links), decided
            # before the form changes the post; a display method has no request.
            post.shared_by = request.user
        return post

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        before = None
        if change:
            before = Post.objects.filter(pk=obj.pk).values("status", "slug").first()
        was_published = bool(before) and before["status"] == Post.Status.PUBLISHED
        if was_published and obj.status != Post.Status.PUBLISHED:
            # Unpublished by form, as by the action: publishing again stamps anew.
            obj.published_at = None
        super().save_model(request, obj, form, change)
        if was_published:
            services.post_record_old_slug(post=obj, old_slug=before["slug"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        newly_published = {"status", "published_at"} & set(form.changed_data)
        if post.status == Post.Status.PUBLISHED and newly_published:
            # Stamps the time if none was given and snapshots the bylines.
            services.post_publish(post=post, by=request.user, at=post.published_at)

    # Changelist columns

    @admin.display(description="state", ordering="status")
    def state(self, post):
        if post.is_scheduled:
            label = "Scheduled"
        elif post.is_published:
            label = "Live"
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

    @admin.display(description="preview")
    def preview_links(self, post):
        if not post.pk:
            return "Save the post to preview it."
        site_link = format_html(
            '<a href="{}">Preview this post on the site</a> (its editors and '
            "authors only).",
            post.get_absolute_url(),
        )
        sharer = getattr(post, "shared_by", None)
        if sharer is None:
            return site_link
        reviewer_url = settings.SITE_URL + previews.preview_url(post, by=sharer)
        return format_html(
            "{}<br>Link for a reviewer without an account, valid for 7 days or "
            "until the post is next changed:<br>"
            '<input type="text" readonly size="80" '
            'aria-label="Reviewer preview link" value="{}">',
            site_link,
            reviewer_url,
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
