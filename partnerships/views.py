from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from heseltine.cache import cached_by_content
from partnerships.cards import CARD_FIELDS, journey, partnership_cards
from partnerships.forms import PartnershipFilterForm
from partnerships.models import Partnership
from partnerships.overview import programme_overview


class PartnershipListView(ListView):
    """The programme, its phases and funding, and its partnerships, each once."""

    template_name = "partnerships/partnership_list.html"
    paginate_by = 24

    def get(self, request, *args, **kwargs):
        self.overview = programme_overview()
        self.form = PartnershipFilterForm(
            request.GET or None,
            phase_choices=[
                (phase["number"], phase["label"]) for phase in self.overview["phases"]
            ],
        )
        self.filters = self.form.filters() if self.form.is_bound else {}
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        partnerships = Partnership.objects.public().values(*CARD_FIELDS)
        if "phase" in self.filters:
            partnerships = partnerships.in_phase(self.filters["phase"])
        if "nation" in self.filters:
            partnerships = partnerships.filter(nation=self.filters["nation"])
        return partnerships

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The count changes only with the content (and the filters).
        listing = ":".join(f"{name}={value}" for name, value in self.filters.items())
        paginator.count = cached_by_content(
            f"partnership-count:{listing}", queryset.count
        )
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            self.overview,
            form=self.form,
            is_filtered=bool(self.filters),
            cards=partnership_cards(context["object_list"]),
            list_url=reverse("partnerships:partnership_list"),
            page_query=urlencode(
                {key: value for key, value in self.request.GET.items() if key != "page"}
            ),
        )
        return context


class PartnershipDetailView(DetailView):
    """One partnership: its journey through the phases, funding and themes."""

    queryset = Partnership.objects.public().select_related("lead_organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["records"], context["totals"] = journey(self.object)
        themes = self.object.themes.public().values_list("title", "slug")
        context["themes"] = [
            {"title": title, "url": reverse("institute:theme_detail", args=[slug])}
            for title, slug in themes
        ]
        context["list_url"] = reverse("partnerships:partnership_list")
        return context
