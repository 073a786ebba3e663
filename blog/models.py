import math
import secrets

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat, Trim
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from heseltine.images import refreshed_renditions, validate_image_upload
from heseltine.links import url_for_slug
from heseltine.richtext import RichTextField
from institute.models import ResearchTheme

WORDS_PER_MINUTE = 200
ALT_TEXT_REQUIRED = "Describe the image for people who cannot see it."


def _is_public():
    """The rule for a post the public may see: published, and its time has come."""
    return Q(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())


class PostQuerySet(models.QuerySet):
    def public(self):
        """Return the posts the public may see: published, and their time has come."""
        return self.filter(_is_public())

    def scheduled(self):
        """Return the published posts whose time has not come yet, soonest first."""
        return self.filter(
            status=Post.Status.PUBLISHED, published_at__gt=timezone.now()
        ).order_by("published_at")

    def visible_to(self, user):
        """Return the posts `user` may read, published or not.

        Editors (who may publish) see every post before it is public; other
        staff with the view permission (contributors) only those they created
        or are an author of; everyone else only the published.
        """
        if not user.has_perm("blog.view_post"):
            return self.public()
        if user.has_perm("blog.publish_post"):
            return self
        bylined = PostAuthor.objects.filter(post=OuterRef("pk"), person__user=user.pk)
        return self.filter(_is_public() | Q(created_by=user.pk) | Exists(bylined))

    def with_sent_back(self):
        """Annotate `is_sent_back`: a draft whose latest workflow step is an
        editor sending it back with changes requested (as
        blog.services.post_sent_back_note finds for one post).

        A subquery in the same query as the posts, not a query per post.
        """
        latest = PostEvent.objects.filter(post=OuterRef("pk")).order_by("-at", "-pk")
        last_action = Subquery(latest.values("action")[:1])
        return self.annotate(
            is_sent_back=Case(
                When(
                    Exact(last_action, PostEvent.Action.CHANGES_REQUESTED),
                    status=Post.Status.DRAFT,
                    then=Value(True),
                ),
                default=Value(False),
            )
        )

    def with_listing_data(self):
        """Load what a post card shows into lists: author_list (PostAuthor, in
        order, with person), theme_list and tag_list.

        Lists rather than the managers' caches: to fill a manager's cache Django
        builds a queryset per post, which costs more than the three queries.
        """
        return self.prefetch_related(
            Prefetch(
                "post_authors",
                queryset=PostAuthor.objects.select_related("person").order_by(
                    "order", "pk"
                ),
                to_attr="author_list",
            ),
            Prefetch(
                "themes",
                queryset=ResearchTheme.objects.only("title", "slug", "order"),
                to_attr="theme_list",
            ),
            Prefetch("tags", to_attr="tag_list"),
        )

    def for_theme(self, theme):
        # EXISTS rather than a join: walking posts newest first, the database
        # stops at the first few that match.
        return self.filter(_has_theme(researchtheme_id=theme.pk))

    def tagged(self, tag):
        # A join, which an index of blog migration 0011 serves as the EXISTS
        # would be served, and which Django builds in half the time.
        return self.filter(tags=tag)

    def by_author(self, person):
        """This person's posts, newest first.

        Ordered by the bylines' copy of the publication time, so PostgreSQL
        walks the author's entries in one index and stops at a page's worth;
        from the posts' own dates it would read every one of theirs to sort.
        """
        return self.filter(post_authors__person=person).order_by(
            "-post_authors__published_at", "-post_authors__post_id"
        )

    def sharing(self, *, theme_ids, tag_ids):
        """Posts with any of these themes or tags (made for the newest few)."""
        return self.filter(
            _has_theme(RowByRowExists, researchtheme_id__in=theme_ids)
            | _has_tag(RowByRowExists, tag_id__in=tag_ids)
        )


class RowByRowExists(Exists):
    """An EXISTS that PostgreSQL checks post by post instead of hashing.

    With an OR of two EXISTS it hashes every matching link first, thousands
    for a broad theme, to find the newest three related posts. OFFSET 0 keeps
    it a per-row probe, and the walk stops at the third match.
    """

    template = "EXISTS(%(subquery)s OFFSET 0)"  # after Django's LIMIT 1


def _has_theme(exists=Exists, **lookup):
    """EXISTS a theme link of the outer post matching `lookup`."""
    links = Post.themes.through.objects.filter(post_id=OuterRef("pk"), **lookup)
    return exists(links)


def _has_tag(exists=Exists, **lookup):
    """EXISTS a taggit tagging of the outer post matching `lookup`."""
    taggings = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Post),
        object_id=OuterRef("pk"),
        **lookup,
    )
    return exists(taggings)


def public_tags():
    """Return the tags the public may see: those of a public post.

    A tag only drafts use is not public.
    """
    taggings = TaggedItem.objects.filter(
        tag_id=OuterRef("pk"),
        content_type=ContentType.objects.get_for_model(Post),
        object_id__in=Post.objects.public().values("pk"),
    )
    return Tag.objects.filter(Exists(taggings))


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the post's address: /blog/<slug>/. Changing it "
        "on a published post keeps the old address working.",
    )
    standfirst = models.TextField(
        help_text="A sentence or two summing up the post, shown in listings, "
        "feeds and search results."
    )
    body = RichTextField()
    featured_image = models.ImageField(
        upload_to="blog/",
        blank=True,
        validators=[validate_image_upload],
        help_text="Optional. A JPEG, PNG, WebP or GIF image of at most 5 MB.",
    )
    featured_image_renditions = models.JSONField(
        default=dict, blank=True, editable=False
    )
    featured_image_alt = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        help_text="Describe the image for people who cannot see it. Required when "
        "there is an image.",
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="UK time. Leave empty to publish now; a time in the future "
        "schedules the post to go live by itself then.",
    )
    # Posts copied from an archive that gives only the day: the time is stored
    # as midnight, UK time, and never shown or published as a time of day.
    is_date_only = models.BooleanField(
        "date only",
        default=False,
        help_text="Tick when only the day of publication is known: the site then "
        "gives the date alone, never a time.",
    )
    themes = models.ManyToManyField(
        "institute.ResearchTheme", related_name="posts", blank=True
    )
    tags = TaggableManager(
        blank=True,
        help_text="Separate tags with commas. A tag may have several words, "
        "e.g. levelling up, general election 2024.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="last changed by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Kept by a PostgreSQL trigger (migration 0005) for search to rank by;
    # NULL and unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        # In the lists' order, with the pk: a page deep in a list finds its
        # posts' ids from the index alone (see blog.views.page_of).
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id"], name="post_listing_idx"
            )
        ]
        permissions = [("publish_post", "Can publish, schedule and unpublish posts")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.featured_image_renditions = refreshed_renditions(
            self.featured_image, self.featured_image_renditions
        )
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (
            update_fields is None or {"status", "published_at"} & set(update_fields)
        ):
            self.post_authors.update(published_at=self.listed_at)

    def get_absolute_url(self):
        # A post page links to itself three times; lists once a post.
        return url_for_slug("blog:post_detail", self.slug)

    def clean(self):
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError({"featured_image_alt": ALT_TEXT_REQUIRED})

    @property
    def reading_time(self):
        """Minutes to read the body, at 200 words a minute; never less than one."""
        words = len(strip_tags(self.body).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def listed_at(self):
        """published_at while the post is published (or scheduled), else None."""
        return self.published_at if self.status == self.Status.PUBLISHED else None


class PostAuthorQuerySet(models.QuerySet):
    def with_byline(self):
        """Annotate each byline with what the public sees of it, in order.

        `byline_name` is the name as the person's page shows it
        (Person.display_name); `byline_role` the role they had when the post
        was published, or for a draft their current one.
        """
        return self.order_by("order", "person__name", "pk").annotate(
            byline_name=Trim(Concat("person__honorific", Value(" "), "person__name")),
            byline_role=Case(When(role="", then=F("person__role")), default=F("role")),
        )


class PostAuthor(models.Model):
    """One byline of a post, in order; keeps the role the person had at publication."""

    # Each key is indexed by an index below that leads with it.
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="post_authors", db_index=False
    )
    person = models.ForeignKey(
        "institute.Person",
        on_delete=models.PROTECT,
        related_name="post_authors",
        db_index=False,
    )
    order = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text="Filled in from the person's role when the post is published.",
    )
    # A copy of the post's listed_at, kept by Post.save() and save() here, so
    # an author's newest posts are the first entries of one index.
    published_at = models.DateTimeField(null=True, editable=False)

    objects = PostAuthorQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "author"
        indexes = [
            models.Index(
                fields=["person", "-published_at", "-post"],
                name="postauthor_listing_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "person"], name="unique_author_per_post"
            )
        ]

    def __str__(self):
        return str(self.person)

    def save(self, *args, **kwargs):
        self.published_at = self.post.listed_at
        super().save(*args, **kwargs)


def copy_publication_times(links):
    """Give each of `links` (PostAuthors) its post's listed_at, in one query.

    For links made without save(), as bulk_create makes them.
    """
    posts = Post.objects.filter(pk=OuterRef("post_id"), status=Post.Status.PUBLISHED)
    return links.update(published_at=Subquery(posts.values("published_at")[:1]))


class PostRedirect(models.Model):
    """An old slug of a published post, answered with a permanent redirect."""

    old_slug = models.SlugField(max_length=200, unique=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old address"
        verbose_name_plural = "old addresses"

    def __str__(self):
        return f"/blog/{self.old_slug}/ → {self.post}"


class PostEvent(models.Model):
    """One step of a post's workflow: who did what, when, and the note if any.

    Kept beside the versions (which record content): restoring a version
    does not rewrite what happened.
    """

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Sent back with changes requested"
        WITHDRAWN = "withdrawn", "Withdrawn from review"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished (back to draft)"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    # For "scheduled": when the post was to go live.
    scheduled_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "workflow step"
        indexes = [models.Index(fields=["post", "-at"], name="postevent_post_idx")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.post}"


def new_share_token():
    return secrets.token_urlsafe(32)


class ShareLinkQuerySet(models.QuerySet):
    def working(self):
        """Links a reviewer can follow now: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(models.Model):
    """A link showing a post's current draft to someone without an account.

    It works until it expires or an editor revokes it, whatever changes the
    post goes through meanwhile.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(
        max_length=64, unique=True, default=new_share_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField("works until")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "reviewer's link"
        verbose_name_plural = "reviewers' links"

    def __str__(self):
        return f"Link to “{self.post}”"

    def get_absolute_url(self):
        return reverse("blog:post_preview", kwargs={"token": self.token})

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def works(self):
        return not self.is_revoked and not self.is_expired


class NotificationSettings(models.Model):
    """What a user wants to be emailed about; everyone is, until they say no."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="blog_notifications",
    )
    workflow_emails = models.BooleanField(
        "email me about the progress of posts and of the institute’s work",
        default=True,
        help_text="Editors: when a post, project, publication or event is "
        "submitted for review. Authors: when one you wrote or created is "
        "published, scheduled or sent back to you.",
    )

    class Meta:
        verbose_name = "email notifications"
        verbose_name_plural = "email notifications"

    def __str__(self):
        return f"Email notifications of {self.user}"


# Each version of a post (django-reversion, kept by the admin and the workflow)
# includes its bylines and its tags, so restoring one brings them back too.
reversion.register(TaggedItem)
reversion.register(PostAuthor)
reversion.register(Post, follow=["post_authors", "tagged_items"])
