"""Demo content for the institute, from the facts in the seed documents.

Idempotent: every row is keyed on a natural key (slug or title), so running it
again updates the same rows and creates nothing new.
"""

from institute.models import (
    InstituteProfile,
    Objective,
    Page,
    Person,
    Pillar,
    ResearchTheme,
)

PROFILE = {
    "name": "Heseltine Institute for Public Policy, Practice and Place",
    "short_name": "Heseltine Institute",
    "strapline": (
        "Public policy research at the University of Liverpool, bringing "
        "research, policy, practice and communities together to shape the "
        "future of cities and city regions."
    ),
    "summary": (
        "<p>The Heseltine Institute sets out to be a leading public policy "
        "research institute: it draws together people from research, policy, "
        "practice and communities to work with, and influence, the policies "
        "that will shape future cities.</p>"
        "<p>Based in the Liverpool City Region, with links to partners across "
        "the UK and around the world, the institute is a central part of the "
        "University of Liverpool's work on urban questions. It makes the case "
        "for urban policy built on sound evidence, careful research and a deep "
        "knowledge of place; it takes part in civic partnerships; and it "
        "offers research and consultancy that inform place-based policy.</p>"
        "<p>Its researchers' interdisciplinary expertise spans public policy, "
        "devolution, urban governance, co-production and economic development "
        "at local and regional level. The institute works collaboratively, "
        "co-producing its research with partners in research, policy and "
        "communities so that different kinds of expertise can achieve "
        "together what none could alone.</p>"
    ),
    "university": "University of Liverpool",
    "faculty_theme": "Sustainable and Resilient Cities",
    "offers_funding": False,
    "address": "PO Box 147\nLiverpool",
    "postcode": "L69 3BX",
    "country": "United Kingdom",
}

OBJECTIVES = [
    (
        "Lead",
        "Use rigorous, high-quality research to stimulate debate on how to "
        "respond to today's urban challenges and opportunities.",
    ),
    (
        "Convene",
        "Offer a space where people from research, policy, practice and "
        "communities meet, build relationships and take on urban challenges "
        "and opportunities together.",
    ),
    (
        "Broker",
        "Spot chances to connect the University of Liverpool's academic "
        "research with the policy makers and others working on particular "
        "urban challenges.",
    ),
    (
        "Inform",
        "Carry research and evidence to the people who make urban policy, so "
        "that it informs and shapes their decisions.",
    ),
]

THEMES = [
    {
        "slug": "future-of-cities-and-city-regions",
        "title": "Future of cities and city regions",
        "question": (
            "How can we understand the defining challenges and opportunities "
            "of cities, and respond to them in ways that are sustainable, "
            "democratic and inclusive?"
        ),
        "summary": (
            "Research on how cities and city regions are governed and "
            "transformed, from institutional design to smart cities and "
            "democratic innovation."
        ),
        "body": (
            "<p>Work under this theme looks at the big questions cities and "
            "city regions face, and at responses that are sustainable, "
            "democratic and inclusive. It draws on the institute's expertise "
            "in urban governance, devolution and co-production.</p>"
        ),
        "focus_areas": [
            "Urban governance and transformation",
            "Institutional design",
            "Commoning",
            "Smart cities",
            "Social and democratic innovation",
        ],
    },
    {
        "slug": "regional-inequalities",
        "title": "Regional inequalities",
        "question": (
            "How can we understand the gaps between the UK's regions in "
            "incomes, productivity, jobs, health and well-being, and net zero, "
            "and find evidence-based ways to rebalance them?"
        ),
        "summary": (
            "Research on the differences between the UK's regions and on "
            "evidence-based ways of narrowing them."
        ),
        "body": (
            "<p>This theme examines how the UK's regions differ: in how "
            "productive they are, what people earn, how many are in work, "
            "their health and well-being, and their progress towards net "
            "zero. It looks for responses grounded in evidence.</p>"
        ),
        "focus_areas": [
            "Economic development and inclusive growth",
            "Skills and employability",
            "Precarity and the future of work",
            "Devolution and local and sub-national government",
        ],
    },
    {
        "slug": "public-service-reform",
        "title": "Public service reform",
        "question": (
            "How can public services be designed and delivered so that they "
            "add to public value?"
        ),
        "summary": (
            "Research on designing and delivering public services that create "
            "public value, locally and nationally."
        ),
        "body": (
            "<p>This theme studies how public services are designed and "
            "delivered, with the aim of increasing the value they create for "
            "the public, and feeds what it learns into local and national "
            "policy.</p>"
        ),
        "focus_areas": [
            "Evaluating locally led ways of improving the social and economic "
            "outcomes of places",
            "Learning in real time how public service reform can work in "
            "practice, to inform local and national policy",
        ],
    },
]

PILLARS = [
    {
        "slug": "research-and-thought-leadership",
        "title": "High-impact research and thought leadership",
        "summary": (
            "Research and new thinking on sustainable urban development, "
            "concentrating on the policy areas most critical to how cities and "
            "city regions will fare."
        ),
        "research_areas": [
            "Balanced regional development",
            "English devolution",
            "The social economy",
            "Diverse leadership and gender equality in cities",
            "Public services and welfare reform",
            "Health and health governance",
            "Smart cities, artificial intelligence and automation",
            "Brexit",
            "Low carbon transitions and climate resilience",
            "Heritage",
        ],
    },
    {
        "slug": "knowledge-exchange",
        "title": "Knowledge exchange",
        "summary": (
            "Finding better ways for researchers and external partners to work "
            "together, so that research takes root in wider communities and "
            "the University's research adds value and influences public "
            "policy."
        ),
        "research_areas": [],
    },
    {
        "slug": "capacity-building",
        "title": "Capacity building, upskilling and training",
        "summary": (
            "Training academic staff and PhD students across the University to "
            "use their work to influence public policy, and helping policy "
            "makers draw on international good practice, lessons and methods."
        ),
        "research_areas": [],
    },
    {
        "slug": "evidence-based-public-policy",
        "title": "Evidence-based public policy",
        "summary": (
            "Better-informed urban policy making: mapping the city data held "
            "by different institutions, how it is collected, stored, analysed "
            "and presented and how far it can be shared, combined and scaled, "
            "and planning improvements to the city's data infrastructure."
        ),
        "research_areas": [],
    },
]

# Authors named in the blog listing; the seeds do not give their roles.
PEOPLE = [
    {"slug": "cleo-hachem", "name": "Cleo Hachem", "honorific": ""},
    {"slug": "tom-arnold", "name": "Tom Arnold", "honorific": "Dr"},
    {"slug": "joanna-hayes", "name": "Joanna Hayes", "honorific": ""},
    {"slug": "james-hickson", "name": "James Hickson", "honorific": ""},
    {"slug": "belinda", "name": "Belinda", "honorific": ""},
]

ABOUT_US_BODY = """
<p>The institute brings citizens, researchers, policy makers and
practitioners together, and draws on academics throughout the University of
Liverpool to explore questions such as what would let neighbourhoods, cities
and city regions thrive economically, include everyone politically, stay
environmentally healthy and treat people fairly, and how work could be
rethought for a more social economy.</p>
<p>Its researchers work across four core thematic areas: health and
wellbeing; urban governance; civic participation and digital technology; and
the social economy and social innovation.</p>
<p>Guided by a cross-sector advisory board, its researchers from across the
social sciences and its network of Visiting Fellows work with people in policy
and practice in the region, across the UK and abroad, producing research and
policy analysis together that makes a real social difference. It pays
particular attention to the Liverpool City Region and to the UK's North–South
divide, aiming to help shape devolution, to tell partners in politics,
business, the voluntary sector and culture what works and what does not, and
to spark public imagination about how we might live in this century.</p>
<h2>Domains of work</h2>
<h3>Social innovation and the social economy</h3>
<p>Liverpool City Region has a long tradition of not-for-profit, democratic and
mutual enterprise, and its social economy is lively and growing.
The institute and local practitioners jointly set up the Liverpool City Region
Social Economy Panel to fill a gap in policy for the sector in the city region,
and the institute is funding primary research into the size and reach of that
social economy: early findings point to assets of some £4 billion and more than
40,000 people employed. The work also covers social finance, social housing,
food poverty, community assets and entrepreneurship, and links with social
economy cities abroad through the Global Social Economy Forum.</p>
<h3>Health and well-being</h3>
<p>This strand is concerned with resilient, prosocial places and the
well-being of communities. The institute co-hosts the What Works Centre for
Wellbeing's Community Wellbeing evidence programme, working with universities
across the North and with civic bodies including the New Economics
Foundation.
Its Prosocial Place Programme asks why some parts of the city are linked with
lower well-being and more mental distress, and works with place-making SMEs and
social enterprises to put residents' health and well-being at the heart of
regeneration decisions.</p>
<h3>Civic imagination and technology</h3>
<p>With Engage Liverpool, LUISS University Rome and Fordham Law School, New
York, the institute is working towards a local Office for Civic Imagination,
building on earlier work done in Bologna, Amsterdam and New York. With the
Liverpool City Mayoral lead on Smart Cities, Merseytravel, the LEP, Liverpool
CCG and Hartree (SFTC), it is developing a
computer model to help city region policy makers see how a decision in one
policy area affects the others, calibrated with location data from a mobile app
designed together with residents.</p>
<h2>Ambitions</h2>
<ol>
<li>To be a respected authority on public policy and practice rooted in place,
through its research and consultancy and by curating events that bring a wide range of
expertise and public views to the issues policy makers and practitioners face,
in the Liverpool City Region and around the world.</li>
<li>To raise the profile of the University and its work, as the main gateway
through which policy makers and practitioners in the city region meet
academics and co-produce research with lasting social impact.</li>
<li>To help the University's researchers and students take part in major civic
projects and make the most of chances to influence policy and
practice.</li>
</ol>
"""

ACCESSIBILITY_BODY = """
<p>This statement covers this website. We want as many people as possible to
be able to use it, and we aim to meet the Web Content Accessibility Guidelines
(WCAG) 2.2 at level AA.</p>
<h2>How the site is built</h2>
<ul>
<li>Every page can be read without JavaScript.</li>
<li>Each page has one main heading, a link to skip to the main content and
labelled navigation areas.</li>
<li>Text and background colours are chosen to meet the WCAG AA contrast
ratios.</li>
<li>Pages fit narrow screens without scrolling sideways.</li>
<li>Photos of people carry a text description.</li>
</ul>
<h2>How we check it</h2>
<p>While the site is developed, automated tests open its main pages in a web
browser, at desktop and at mobile widths, and check them with the axe-core
accessibility engine. Automated checks cannot find every problem, so we
welcome reports from the people who use the site.</p>
<h2>Telling us about a problem</h2>
<p>If something on this site is hard to use, please write to us at the postal
address at the foot of every page, saying which page it was and what went
wrong.</p>
"""

PRIVACY_BODY = """
<h2>Visitors</h2>
<p>You can read every public page of this site without an account. The site
uses no analytics, advertising or tracking services, and its pages load no
scripts, fonts or images from other websites.</p>
<h2>Server logs</h2>
<p>Like most websites, the server that runs this site may record technical
details of each request, such as the address it came from, the page asked for
and the time, to keep the service running and secure.</p>
<h2>Editors</h2>
<p>People who edit the site sign in to a private area. The site stores their
account details (username, name and email address) and a record of the changes
they make. Signing in sets a cookie that keeps the editor signed in and one
that protects the editing forms against forgery.</p>
<h2>Links to other websites</h2>
<p>The map link on the About page opens OpenStreetMap, which has its own
privacy policy.</p>
<h2>Questions</h2>
<p>Please write to the institute at the postal address at the foot of every
page.</p>
"""

PAGES = [
    {
        "slug": "about-us",
        "title": "About us",
        "standfirst": (
            "An interdisciplinary research centre concerned with how places "
            "can become successful, sustainable and inclusive in an unstable "
            "world: its domains of work and its ambitions."
        ),
        "body": ABOUT_US_BODY,
        "show_in_footer": False,
        "footer_order": 0,
        "show_on_about_page": True,
    },
    {
        "slug": "accessibility-statement",
        "title": "Accessibility statement",
        "standfirst": (
            "How this website is made usable by as many people as possible, "
            "and how to tell us when it falls short."
        ),
        "body": ACCESSIBILITY_BODY,
        "show_in_footer": True,
        "footer_order": 1,
        "show_on_about_page": False,
    },
    {
        "slug": "privacy-notice",
        "title": "Privacy notice",
        "standfirst": "What this website records about the people who use it, and why.",
        "body": PRIVACY_BODY,
        "show_in_footer": True,
        "footer_order": 2,
        "show_on_about_page": False,
    },
]


def load():
    InstituteProfile.objects.update_or_create(singleton=True, defaults=PROFILE)
    for order, (title, description) in enumerate(OBJECTIVES, start=1):
        Objective.objects.update_or_create(
            title=title, defaults={"description": description, "order": order}
        )
    for order, data in enumerate(THEMES, start=1):
        fields = {key: value for key, value in data.items() if key != "focus_areas"}
        theme, _ = ResearchTheme.objects.update_or_create(
            slug=data["slug"], defaults={**fields, "order": order, "is_retired": False}
        )
        _set_children(theme.focus_areas, data["focus_areas"])
    for order, data in enumerate(PILLARS, start=1):
        fields = {key: value for key, value in data.items() if key != "research_areas"}
        pillar, _ = Pillar.objects.update_or_create(
            slug=data["slug"], defaults={**fields, "order": order}
        )
        _set_children(pillar.research_areas, data["research_areas"])
    for order, data in enumerate(PEOPLE, start=1):
        Person.objects.update_or_create(
            slug=data["slug"],
            defaults={**data, "group": Person.Group.AUTHOR, "role": "", "order": order},
        )
    for data in PAGES:
        Page.objects.update_or_create(
            slug=data["slug"],
            defaults={**data, "body": data["body"].strip(), "is_published": True},
        )


def _set_children(related_manager, titles):
    """Make the ordered children of a theme or pillar exactly `titles`."""
    related_manager.exclude(title__in=titles).delete()
    for order, title in enumerate(titles, start=1):
        related_manager.update_or_create(title=title, defaults={"order": order})
