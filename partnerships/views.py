from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from heseltine.cache import cached_by_content
from heseltine.jinja2 import truncatewords
from heseltine.links import url_for
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

    def listing(self):
        return ":".join(f"{name}={value}" for name, value in self.filters.items())

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The count changes only with the content (and the filters).
        paginator.count = cached_by_content(
            f"partnership-count:{self.listing()}", queryset.count
        )
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # So do the cards of each page: kept until the content changes.
        page = context["page_obj"]
        cards = cached_by_content(
            f"partnership-cards:{self.listing()}:{page.number}",
            lambda: partnership_cards(page.object_list),
        )
        # The page's partnerships are its cards: the pagination's len(page)
        # need not run the query the cards were kept to spare.
        page.object_list = context["object_list"] = cards
        context.update(
            self.overview,
            form=self.form,
            is_filtered=bool(self.filters),
            cards=cards,
            list_url=url_for("partnerships:partnership_list"),
            page_query=urlencode(
                {key: value for key, value in self.request.GET.items() if key != "page"}
            ),
        )
        return context


class PartnershipDetailView(DetailView):
    """One partnership: its journey through the phases, funding and themes."""

    model = Partnership
    queryset = Partnership.objects.public().select_related("lead_organisation")

    def get_object(self, queryset=None):
        slug = self.kwargs[self.slug_url_kwarg]
        if len(slug) > Partnership._meta.get_field("slug").max_length:
            # No partnership has it, and the cache key stays short.
            raise Http404("No such partnership.")
        # The partnership changes only with the content: kept until it does. A
        # missing one raises Http404 within, so nothing is kept for junk slugs.
        return cached_by_content(f"public-partnership:{slug}", super().get_object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        context.update(
            cached_by_content(
                f"partnership-parts:{partnership.pk}",
                lambda: partnership_parts(partnership),
            ),
            list_url=url_for("partnerships:partnership_list"),
        )
        return context


def partnership_parts(partnership):
    """The partnership's journey (records and totals) and its public themes."""
    records, totals = journey(partnership)
    themes = partnership.themes.public().values_list("title", "slug")
    return {
        # The meta description, which the page renders twice (og:description).
        "description": truncatewords(partnership.challenge, 25),
        "records": records,
        "totals": totals,
        "themes": [
            {"title": title, "url": reverse("institute:theme_detail", args=[slug])}
            for title, slug in themes
        ],
    }
