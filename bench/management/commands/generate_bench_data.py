"""A large synthetic data set for benchmarking, marked so it can be told apart.

Every row it makes has a slug starting with "bench-" (posts, people,
partnerships, tags); their text says plainly that it is synthetic. Rows are
made with bulk_create, which skips save() and signals, so this fills what save()
would (slugs, bylines' roles; the rich-text field still sanitises in pre_save)
and stamps the page cache once at the end.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from blog.models import Post, PostAuthor, PostRedirect, copy_publication_times
from heseltine.cache import bump_content_stamp
from institute.models import Person, ResearchTheme
from partnerships.models import Partnership, PartnershipPhase, Phase

MARKER = "bench-"
PROGRAMME = "local-policy-innovation-partnerships"
BATCH = 1000
SPREAD = timedelta(days=6 * 365)
TOPICS = [
    "housing", "devolution", "transport", "skills", "health", "net zero",
    "local government", "public finance", "planning", "high streets",
    "social care", "culture", "innovation", "employment", "education",
]  # fmt: skip


@dataclass(frozen=True)
class Size:
    posts: int
    drafts: int
    scheduled: int
    tags: int
    people: int
    partnerships: int


SIZES = {
    # As many people as the large set: the benchmark compares the sizes' pages
    # for growth with the posts, and the people page lists everyone.
    "small": Size(posts=20, drafts=2, scheduled=2, tags=50, people=200, partnerships=4),
    "large": Size(
        posts=10_000, drafts=20, scheduled=10, tags=500, people=200, partnerships=400
    ),
}


def bench_slugs(size):
    """The slugs of every kind of bench row a size should have."""
    posts = size.posts + size.drafts + size.scheduled
    return {
        Post: {f"{MARKER}post-{n:05}" for n in range(1, posts + 1)},
        Tag: {f"{MARKER}tag-{n:03}" for n in range(1, size.tags + 1)},
        Person: {f"{MARKER}person-{n:03}" for n in range(1, size.people + 1)},
        Partnership: {
            f"{MARKER}partnership-{n:03}" for n in range(1, size.partnerships + 1)
        },
    }


def existing_slugs():
    return {
        model: set(
            model.objects.filter(slug__startswith=MARKER).values_list("slug", flat=True)
        )
        for model in (Post, Tag, Person, Partnership)
    }


def bench_ids(model):
    """The primary keys of a model's bench rows, in slug order."""
    return list(
        model.objects.filter(slug__startswith=MARKER)
        .order_by("slug")
        .values_list("pk", flat=True)
    )


def delete_bench_rows():
    """Delete every bench row and what hangs on it, a few statements per table.

    `_raw_delete` issues one DELETE without collecting rows or sending signals:
    the ORM's delete() would send a signal, and stamp the page cache, per row.
    Children go first, since no cascade runs.
    """
    posts = Post.objects.filter(slug__startswith=MARKER)
    people = Person.objects.filter(slug__startswith=MARKER)
    tags = Tag.objects.filter(slug__startswith=MARKER)
    partnerships = Partnership.objects.filter(slug__startswith=MARKER)
    post_type = ContentType.objects.get_for_model(Post)
    children = [
        TaggedItem.objects.filter(tag__in=tags),
        TaggedItem.objects.filter(content_type=post_type, object_id__in=posts),
        PostAuthor.objects.filter(post__in=posts),
        PostAuthor.objects.filter(person__in=people),
        Post.themes.through.objects.filter(post__in=posts),
        PostRedirect.objects.filter(post__in=posts),
        PartnershipPhase.objects.filter(partnership__in=partnerships),
        Partnership.themes.through.objects.filter(partnership__in=partnerships),
    ]
    for queryset in [*children, posts, people, tags, partnerships]:
        queryset._raw_delete(queryset.db)


def phrase(rng, count):
    return " and ".join(rng.sample(TOPICS, count))


def create_people(size):
    Person.objects.bulk_create(
        [
            Person(
                name=f"Benchmark Person {n:03}",
                slug=f"{MARKER}person-{n:03}",
                role="Synthetic author for benchmarks",
                group=Person.Group.AUTHOR,
                order=1000 + n,
                bio=f"Benchmark person {n}: a synthetic author made for load "
                "testing, not a member of the institute.",
            )
            for n in range(1, size.people + 1)
        ],
        batch_size=BATCH,
    )
    return list(
        Person.objects.filter(slug__startswith=MARKER)
        .order_by("slug")
        .values_list("pk", "role")
    )


def create_tags(size):
    Tag.objects.bulk_create(
        [
            Tag(name=f"bench tag {n:03}", slug=f"{MARKER}tag-{n:03}")
            for n in range(1, size.tags + 1)
        ],
        batch_size=BATCH,
    )
    return bench_ids(Tag)


def post_body(n, topics):
    paragraphs = [
        f"Benchmark post {n} is synthetic text on {topics}, generated to measure "
        "how fast the site serves many posts. It is not the institute's work.",
        *(
            f"Paragraph {p} of benchmark post {n}. The words here stand in for an "
            f"article of ordinary length about {topics}: a few sentences that say "
            "nothing, repeated so that the page is as long as a real one would be."
            for p in range(2, 7)
        ),
    ]
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def create_posts(size, rng, now):
    posts = []
    total = size.posts + size.drafts + size.scheduled
    step = SPREAD / size.posts
    for n in range(1, total + 1):
        topics = phrase(rng, 2)
        if n <= size.posts:
            status = Post.Status.PUBLISHED
            published_at = now - step * n - timedelta(minutes=rng.randrange(60))
        elif n <= size.posts + size.drafts:
            status, published_at = Post.Status.DRAFT, None
        else:
            # Far enough ahead that none goes live during a benchmark.
            status = Post.Status.PUBLISHED
            published_at = now + timedelta(days=30 + n - size.posts - size.drafts)
        posts.append(
            Post(
                title=f"Benchmark post {n} on {topics}",
                slug=f"{MARKER}post-{n:05}",
                standfirst=f"Synthetic benchmark post {n} on {topics}, made for "
                "load testing.",
                body=post_body(n, topics),
                status=status,
                published_at=published_at,
            )
        )
    Post.objects.bulk_create(posts, batch_size=BATCH)
    return bench_ids(Post)


def post_tags(index, tag_ids, rng):
    """Two to four tags; the first tag, a popular one, on two posts in three.

    A real blog has a few tags on most posts and many on a few, and the
    small set needs a tag with a page of posts for the benchmark to compare.
    """
    count = rng.randint(2, 4)
    if index % 3:
        return [tag_ids[0], *rng.sample(tag_ids[1:], count - 1)]
    return rng.sample(tag_ids[1:], count)


def create_post_relations(post_ids, people, tag_ids, theme_ids, rng):
    authors, themes, tagged = [], [], []
    post_type = ContentType.objects.get_for_model(Post)
    Through = Post.themes.through
    for index, post_id in enumerate(post_ids):
        bylines = rng.sample(people, rng.randint(1, 3))
        for order, (person_id, role) in enumerate(bylines):
            authors.append(
                PostAuthor(post_id=post_id, person_id=person_id, order=order, role=role)
            )
        for theme_id in rng.sample(theme_ids, min(len(theme_ids), rng.randint(1, 2))):
            themes.append(Through(post_id=post_id, researchtheme_id=theme_id))
        for tag_id in post_tags(index, tag_ids, rng):
            tagged.append(
                TaggedItem(content_type=post_type, object_id=post_id, tag_id=tag_id)
            )
    PostAuthor.objects.bulk_create(authors, batch_size=BATCH)
    copy_publication_times(PostAuthor.objects.filter(post__slug__startswith=MARKER))
    Through.objects.bulk_create(themes, batch_size=BATCH)
    TaggedItem.objects.bulk_create(tagged, batch_size=BATCH)


def create_partnerships(size, phases, theme_ids, rng):
    nations = list(Partnership.Nation.values)
    Partnership.objects.bulk_create(
        [
            Partnership(
                name=f"Benchmark Partnership {n:03}",
                slug=f"{MARKER}partnership-{n:03}",
                nation=rng.choice(nations),
                region=f"Benchmark region {n % 12 + 1}",
                focus=f"Synthetic focus on {(topics := phrase(rng, 2))}",
                challenge=f"Benchmark partnership {n} is synthetic, made for load "
                f"testing; it stands for a place working on {topics}.",
            )
            for n in range(1, size.partnerships + 1)
        ],
        batch_size=BATCH,
    )
    partnership_ids = bench_ids(Partnership)
    records, themes = [], []
    Through = Partnership.themes.through
    Status = PartnershipPhase.Status
    first_start = date(2023, 1, 1)
    for index, partnership_id in enumerate(partnership_ids):
        # Every partnership is in the first phase; about a third carry on.
        taken = phases[: 1 + (index % 3 == 0)] if len(phases) > 1 else phases
        for number, phase in enumerate(taken, start=1):
            later = number < len(taken)
            award = None
            if phase.max_award is not None:
                award = min(phase.max_award, Decimal(rng.randrange(50, 480)) * 10_000)
            starts_on = first_start + timedelta(days=365 * (number - 1))
            records.append(
                PartnershipPhase(
                    partnership_id=partnership_id,
                    phase_id=phase.pk,
                    status=Status.PROGRESSED if later else Status.FUNDED,
                    award=award,
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=364),
                )
            )
        if index % 2 == 0:
            for theme_id in rng.sample(theme_ids, min(len(theme_ids), 2)):
                themes.append(
                    Through(partnership_id=partnership_id, researchtheme_id=theme_id)
                )
    PartnershipPhase.objects.bulk_create(records, batch_size=BATCH)
    Through.objects.bulk_create(themes, batch_size=BATCH)


class Command(BaseCommand):
    help = (
        "Generate a synthetic data set for benchmarking (slugs start with "
        "'bench-'). Needs the demo content. Idempotent per size: running it "
        "again changes nothing; another size replaces only the bench rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument(
            "--seed", type=int, default=2024, help="Seed of the random choices."
        )

    def handle(self, *args, size, seed, **options):
        wanted = SIZES[size]
        if existing_slugs() == bench_slugs(wanted):
            self.stdout.write(f"The {size} benchmark data set is already loaded.")
            return
        phases = list(
            Phase.objects.filter(programme__slug=PROGRAMME).order_by("number")
        )
        theme_ids = list(ResearchTheme.objects.public().values_list("pk", flat=True))
        if not phases or not theme_ids:
            raise CommandError(
                "Load the demo content first (manage.py load_demo_content): the "
                "benchmark data needs its programme, phases and research themes."
            )
        # Seeded so each run makes the same synthetic data; nothing secret.
        rng = random.Random(seed)
        now = timezone.now()
        with transaction.atomic():
            delete_bench_rows()
            people = create_people(wanted)
            tag_ids = create_tags(wanted)
            post_ids = create_posts(wanted, rng, now)
            create_post_relations(post_ids, people, tag_ids, theme_ids, rng)
            create_partnerships(wanted, phases, theme_ids, rng)
        # bulk_create sends no signals: stamp once so cached pages refresh.
        bump_content_stamp()
        # Fresh planner statistics (and PostgreSQL's visibility map), as a
        # database that autovacuum looks after would have.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the {size} benchmark data set: {wanted.posts} published "
                f"posts, {wanted.drafts} drafts, {wanted.scheduled} scheduled, "
                f"{wanted.tags} tags, {wanted.people} people, "
                f"{wanted.partnerships} partnerships."
            )
        )
