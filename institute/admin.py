from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect

from heseltine.admin import (
    EditConflictMixin,
    OrderedListMixin,
    SlugAddressMixin,
    VersionsMixin,
)
from heseltine.images import IMAGE_FIELD_OVERRIDES
from institute.models import (
    FocusArea,
    InstituteProfile,
    Objective,
    Page,
    Person,
    Pillar,
    ResearchArea,
    ResearchTheme,
)


@admin.register(InstituteProfile)
class InstituteProfileAdmin(EditConflictMixin, VersionsMixin):
    """The one profile: editors change it but never add a second or delete it."""

    list_display = ["name", "university", "updated_at"]
    search_fields = ["name", "short_name"]
    readonly_fields = ["updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        ("Names", {"fields": ["name", "short_name", "strapline"]}),
        ("Mission", {"fields": ["summary"]}),
        (
            "Affiliation",
            {"fields": ["university", "faculty_theme", "offers_funding"]},
        ),
        (
            "Contact details",
            {
                "fields": [
                    "address",
                    "postcode",
                    "country",
                    ("latitude", "longitude"),
                    "email",
                    "phone",
                    "website",
                ]
            },
        ),
        ("Metadata", {"fields": ["updated_at"]}),
    ]

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not InstituteProfile.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """Take the editor straight to the profile: there is only one."""
        profile = InstituteProfile.objects.only("pk").first()
        if profile is None:
            if self.has_add_permission(request):
                return redirect("admin:institute_instituteprofile_add")
            return super().changelist_view(request, extra_context)
        return redirect("admin:institute_instituteprofile_change", profile.pk)


@admin.register(Objective)
class ObjectiveAdmin(OrderedListMixin, EditConflictMixin, VersionsMixin):
    list_display = ["title", "description", "order"]
    list_editable = ["order"]
    list_filter = ["updated_at"]
    search_fields = ["title", "description"]


class OrderedTitleInline(admin.TabularInline):
    fields = ["title", "order"]
    extra = 1


class FocusAreaInline(OrderedTitleInline):
    model = FocusArea


@admin.register(ResearchTheme)
class ResearchThemeAdmin(
    OrderedListMixin, SlugAddressMixin, EditConflictMixin, VersionsMixin
):
    list_display = ["title", "question", "focus_area_count", "is_retired", "order"]
    list_editable = ["order"]
    list_filter = ["is_retired"]
    search_fields = ["title", "question", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    inlines = [FocusAreaInline]
    fieldsets = [
        ("Content", {"fields": ["title", "question", "summary", "body"]}),
        ("Publishing", {"fields": ["slug", "order", "is_retired"]}),
        ("Metadata", {"fields": ["updated_at"]}),
    ]

    def get_queryset(self, request):
        # Explicit order: Meta.ordering does not apply to a grouped query.
        queryset = super().get_queryset(request).annotate(Count("focus_areas"))
        return queryset.order_by(*ResearchTheme._meta.ordering)

    @admin.display(description="focus areas", ordering="focus_areas__count")
    def focus_area_count(self, obj):
        return obj.focus_areas__count


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "theme", "order"]
    list_editable = ["order"]
    list_filter = ["theme"]
    list_select_related = ["theme"]
    search_fields = ["title", "theme__title"]
    autocomplete_fields = ["theme"]


class ResearchAreaInline(OrderedTitleInline):
    model = ResearchArea


@admin.register(Pillar)
class PillarAdmin(OrderedListMixin, SlugAddressMixin, EditConflictMixin, VersionsMixin):
    list_display = ["title", "summary", "research_area_count", "order"]
    list_editable = ["order"]
    list_filter = ["updated_at"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    inlines = [ResearchAreaInline]
    fieldsets = [
        ("Content", {"fields": ["title", "summary", "body"]}),
        ("Publishing", {"fields": ["slug", "order"]}),
        ("Metadata", {"fields": ["updated_at"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(Count("research_areas"))
        return queryset.order_by(*Pillar._meta.ordering)

    @admin.display(description="research areas", ordering="research_areas__count")
    def research_area_count(self, obj):
        return obj.research_areas__count


@admin.register(ResearchArea)
class ResearchAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "pillar", "order"]
    list_editable = ["order"]
    list_filter = ["pillar"]
    list_select_related = ["pillar"]
    search_fields = ["title", "pillar__title"]
    autocomplete_fields = ["pillar"]


@admin.register(Person)
class PersonAdmin(OrderedListMixin, SlugAddressMixin, EditConflictMixin, VersionsMixin):
    list_display = ["display_name", "role", "group", "has_photo", "user", "order"]
    list_editable = ["order"]
    list_filter = ["group", "is_organisation", ("user", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "role", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    readonly_fields = ["updated_at"]
    formfield_overrides = {models.ImageField: IMAGE_FIELD_OVERRIDES}
    fieldsets = [
        (
            "Name and role",
            {"fields": ["honorific", "name", "role", "group", "is_organisation"]},
        ),
        ("Profile", {"fields": ["bio", "photo", "photo_alt"]}),
        ("Publishing", {"fields": ["slug", "order", "user"]}),
        ("Metadata", {"fields": ["updated_at"]}),
    ]

    @admin.display(description="name", ordering="name")
    def display_name(self, obj):
        return obj.display_name

    @admin.display(description="photo", boolean=True)
    def has_photo(self, obj):
        return bool(obj.photo)


@admin.register(Page)
class PageAdmin(SlugAddressMixin, EditConflictMixin, VersionsMixin):
    list_display = [
        "title",
        "slug",
        "is_published",
        "show_in_footer",
        "footer_order",
        "show_on_about_page",
        "updated_at",
    ]
    list_editable = ["footer_order"]
    list_filter = ["is_published", "show_in_footer", "show_on_about_page"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    date_hierarchy = "updated_at"
    fieldsets = [
        ("Content", {"fields": ["title", "standfirst", "body"]}),
        (
            "Publishing",
            {
                "fields": [
                    "slug",
                    "is_published",
                    ("show_in_footer", "footer_order"),
                    "show_on_about_page",
                ]
            },
        ),
        ("Metadata", {"fields": ["updated_at"]}),
    ]
