"""Demo content for the blog app, from the facts in the seed documents.

The nine posts of the institute's blog listing, with short bodies in our own
words drawn only from each post's published summary. The listing gives each
post's day, never a time: the posts are "date only", stored at midnight UK
time, and the site shows and publishes their dates alone.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from blog.models import Post, PostAuthor
from institute.models import Person, ResearchTheme

LONDON = ZoneInfo("Europe/London")
INSTITUTE_AUTHOR = "heseltine-institute"
CITIES = "future-of-cities-and-city-regions"
INEQUALITIES = "regional-inequalities"
SERVICES = "public-service-reform"

POSTS = [
    {
        "title": "What the King’s Speech means for Liverpool City Region",
        "slug": "what-the-kings-speech-means-for-liverpool-city-region",
        "on": (2024, 7, 18),
        "authors": ["cleo-hachem", "tom-arnold"],
        "themes": [CITIES, INEQUALITIES],
        "tags": ["King’s Speech", "devolution", "planning", "economic growth"],
        "standfirst": (
            "The new Labour government’s first King’s Speech announced 40 bills. "
            "Cleo Hachem and Tom Arnold look at what they could mean for Liverpool "
            "City Region, from economic development to devolution and planning."
        ),
        "body": [
            "In its first King’s Speech the new Labour government named 40 bills "
            "it means to put before Parliament, across many areas of policy.",
            "Three priorities stand out: growing the economy, building new "
            "infrastructure and securing the country’s energy. This post "
            "considers what the bills could change for Liverpool City Region, "
            "looking in turn at economic development, devolution and planning.",
        ],
    },
    {
        "title": "Joined up? How central government can support place-based working",
        "slug": "joined-up-central-government-and-place-based-working",
        "on": (2024, 7, 16),
        "authors": ["joanna-hayes"],
        "themes": [SERVICES],
        "tags": ["place-based working", "central government", "local government"],
        "standfirst": (
            "Joanna Hayes considers what central government can do to help local "
            "government work with partners on local priorities, drawing on the "
            "Partnerships for People and Place pilots."
        ),
        "body": [
            "This post asks what central government can do to help councils "
            "work with others in their area, collaboratively and place by place, "
            "on what matters locally.",
            "It draws its lessons from the Partnerships for People and Place pilots.",
        ],
    },
    {
        "title": (
            "Community organising improved my life, what part can it play in "
            "national renewal?"
        ),
        "slug": "community-organising-and-national-renewal",
        "on": (2024, 7, 9),
        "authors": ["belinda"],
        "themes": [SERVICES, CITIES],
        "tags": ["community organising", "mission-led government"],
        "standfirst": (
            "Belinda writes about how community organising can improve outcomes "
            "for communities, and what it could offer a government run by missions."
        ),
        "body": [
            "Belinda reflects on the part community organising can play in "
            "improving outcomes for communities.",
            "The post then asks what role it could have in mission-led "
            "government and in national renewal.",
        ],
    },
    {
        "title": "What will a Labour government mean for 'levelling up'?",
        "slug": "what-will-a-labour-government-mean-for-levelling-up",
        "on": (2024, 7, 8),
        "authors": ["james-hickson"],
        "themes": [INEQUALITIES],
        "tags": ["levelling up", "regional inequality", "securonomics"],
        "standfirst": (
            "Regional inequality was not at the centre of Labour’s campaign, but "
            "James Hickson makes the case that its ‘securonomics’ agenda could "
            "ground a new approach to the country’s disparities."
        ),
        "body": [
            "Labour did not put regional inequality at the heart of its election "
            "campaign.",
            "Even so, in James Hickson’s view, ‘securonomics’ gives Labour "
            "something to build on: a basis for tackling, in a new way, the "
            "social and economic gaps between places across the UK.",
        ],
    },
    {
        "title": "Community organising: restoring faith in democracy?",
        "slug": "community-organising-restoring-faith-in-democracy",
        "on": (2024, 6, 18),
        "authors": [INSTITUTE_AUTHOR],
        "themes": [CITIES],
        "tags": ["community organising", "democracy", "general election 2024"],
        "standfirst": (
            "As the general election nears, we ask whether community organising "
            "could help to rebuild trust in the UK’s political system."
        ),
        "body": [
            "Written as the UK general election drew near, this post asks "
            "whether community organising might help people to trust the "
            "political system again.",
        ],
    },
    {
        "title": "What the manifestos say about combined authorities",
        "slug": "what-the-manifestos-say-about-combined-authorities",
        "on": (2024, 6, 14),
        "authors": ["tom-arnold"],
        "themes": [CITIES, INEQUALITIES],
        "tags": ["combined authorities", "devolution", "general election 2024"],
        "standfirst": (
            "Now that England’s three largest parties have published their "
            "manifestos, Dr Tom Arnold considers where combined authorities may "
            "be heading."
        ),
        "body": [
            "The three largest parties in England have each published a manifesto "
            "for the general election.",
            "Dr Tom Arnold reads them for what they say about combined authorities "
            "and assesses what the future may hold for them.",
        ],
    },
    {
        "title": "Heseltine Institute General Election 2024 Policy Digest",
        "slug": "general-election-2024-policy-digest",
        "on": (2024, 6, 4),
        "authors": [INSTITUTE_AUTHOR],
        "themes": [CITIES, INEQUALITIES, SERVICES],
        "tags": ["general election 2024"],
        "standfirst": (
            "With the general election called for 4 July 2024, a round-up of our "
            "recent policy work while we prepare new pieces for the campaign."
        ),
        "body": [
            "The general election is set for 4 July 2024, and attention in the "
            "policy community is turning to the next Parliament and how it might "
            "tackle the major policy questions of the day.",
            "Before the election the institute will publish pieces on a range of "
            "topics likely to be debated in the coming weeks. Until then, this "
            "digest brings together policy work we have published lately.",
        ],
    },
    {
        "title": (
            "Things might actually get better: Trends, discontinuities and the "
            "future for ‘Levelling Up’"
        ),
        "slug": "things-might-actually-get-better-future-for-levelling-up",
        "on": (2024, 2, 15),
        "authors": [],
        "themes": [INEQUALITIES],
        "tags": ["levelling up", "economic outlook"],
        "standfirst": (
            "In the short term the economic outlook is gloomy; over the medium "
            "term it is better."
        ),
        "body": [
            "This post looks at trends and breaks in them, and at what they mean "
            "for the future of ‘Levelling Up’.",
            "Its starting point: the economy looks gloomy in the near term, but "
            "the medium-term outlook is better.",
        ],
    },
    {
        "title": (
            "Untangling the effect of insecure work on local economic performance: "
            "towards a new research agenda"
        ),
        "slug": "insecure-work-and-local-economic-performance",
        "on": (2024, 2, 6),
        "authors": [],
        "themes": [INEQUALITIES],
        "tags": ["insecure work", "local economies", "quality of work"],
        "standfirst": (
            "Insecure work costs individuals, but what does it do to local "
            "economies? A proposal for research that measures its local effect."
        ),
        "body": [
            "Insecure work can carry a cost for the people doing it. This post "
            "turns to a different question: how insecurity affects local "
            "economies.",
            "This post sets out a new direction for research that would quantify "
            "the local effect of insecurity, so that policy can aim to improve the "
            "quality of work and not only the number of jobs.",
        ],
    },
]


def load():
    # The institute's own byline: an organisation, not a member of staff.
    Person.objects.update_or_create(
        slug=INSTITUTE_AUTHOR,
        defaults={
            "name": "Heseltine Institute",
            "role": "",
            "honorific": "",
            "is_organisation": True,
            "group": Person.Group.AUTHOR,
        },
    )
    people = {person.slug: person for person in Person.objects.all()}
    themes = {theme.slug: theme for theme in ResearchTheme.objects.all()}
    for entry in POSTS:
        year, month, day = entry["on"]
        post, _ = Post.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "title": entry["title"],
                "standfirst": entry["standfirst"],
                "body": "".join(f"<p>{text}</p>" for text in entry["body"]),
                "status": Post.Status.PUBLISHED,
                "published_at": datetime(year, month, day, tzinfo=LONDON),
                "is_date_only": True,
            },
        )
        authors = [people[slug] for slug in entry["authors"] if slug in people]
        for order, person in enumerate(authors):
            PostAuthor.objects.update_or_create(
                post=post,
                person=person,
                defaults={"order": order, "role": person.role},
            )
        post.post_authors.exclude(person__in=authors).delete()
        post.themes.set([themes[slug] for slug in entry["themes"] if slug in themes])
        post.tags.set(entry["tags"])
