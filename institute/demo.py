"""Demo content for the institute, from the facts in the seed documents."""

from institute.models import InstituteProfile


def load():
    InstituteProfile.objects.update_or_create(
        singleton=True,
        defaults={
            "name": "Heseltine Institute for Public Policy, Practice and Place",
            "short_name": "Heseltine Institute",
            "strapline": (
                "Public policy research at the University of Liverpool, "
                "bringing research, policy, practice and communities together."
            ),
            "summary": "<p>A public policy research institute.</p>",
            "university": "University of Liverpool",
            "faculty_theme": "Sustainable and Resilient Cities",
            "offers_funding": False,
            "address": "PO Box 147\nLiverpool",
            "postcode": "L69 3BX",
            "country": "United Kingdom",
        },
    )
