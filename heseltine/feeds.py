"""RSS and Atom writers that never write what XML 1.0 forbids.

Text is cleaned as it is saved (heseltine.text), but a row written around the
models (raw SQL, bulk_create, an old row) must not take a feed down: Django's
writer answers a control character with an exception, a 500, and writes
U+FFFE as it is, which no feed reader can parse.
"""

import io

from django.utils import feedgenerator

from heseltine.text import clean_text


def _cleaned(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(part) for part in value)
    return value


class XMLSafeFeedMixin:
    """Clean every string of the feed and of its items as the feed is written.

    The feed is written whole in memory, then to `outfile` in one piece:
    Django's writer makes hundreds of small writes, and each would be a piece
    of the response (a WSGI server sends each on its own) and slow to add.
    """

    def write(self, outfile, encoding):
        self.feed = {key: _cleaned(value) for key, value in self.feed.items()}
        self.items = [
            {key: _cleaned(value) for key, value in item.items()} for item in self.items
        ]
        text = io.StringIO()
        super().write(text, encoding)
        outfile.write(text.getvalue())


class SafeRssFeed(XMLSafeFeedMixin, feedgenerator.Rss201rev2Feed):
    pass


class SafeAtomFeed(XMLSafeFeedMixin, feedgenerator.Atom1Feed):
    pass
