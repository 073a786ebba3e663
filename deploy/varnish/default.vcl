# Varnish in front of the site's app servers (deploy/systemd/heseltine@.service),
# behind nginx (deploy/nginx/heseltine.conf). Install as /etc/varnish/default.vcl.
#
# It keeps only what the site marks for it: anonymous GETs and HEADs of pages
# whose Cache-Control carries s-maxage, which the site sends only with
# FRONTEND_CACHE_URLS set, that is when it will tell this Varnish of every
# change (a BAN from the app servers, accepted from the addresses in
# `purgers`). Staff (a session cookie), the admin, previews and every other
# method go straight through. tests/test_edge.py runs this file with only
# the backends' ports changed.
#
# To replace: the app servers' addresses, and www.example.ac.uk (the Host the
# health checks send, which must be in DJANGO_ALLOWED_HOSTS).

vcl 4.1;

import directors;
import std;

probe healthz {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: www.example.ac.uk"
        "Connection: close";
    # /healthz answers 503 when the app server cannot reach the database.
    .expected_response = 200;
    .interval = 2s;
    .timeout = 1s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend app_a {
    .host = "127.0.0.1"; .port = "8000";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

backend app_b {
    .host = "127.0.0.1"; .port = "8001";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

# Who may send a BAN: the app servers (add their addresses if elsewhere).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app_a);
    app.add_backend(app_b);
}

sub vcl_recv {
    set req.backend_hint = app.backend();
    unset req.http.X-Cache;

    if (req.method == "BAN") {
        # Varnish has appended the peer to X-Forwarded-For: a second address
        # means the BAN came through a proxy (nginx) from somewhere else.
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(405, "Not allowed"));
        }
        # The site has one content stamp: any change may show on any page.
        if (std.ban("obj.status != 0")) {
            return (synth(200, "Banned"));
        }
        return (synth(500, std.ban_error()));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # What the site never stores (heseltine.cache.SKIPPED_PREFIXES), and
    # preview links, which are a reviewer's alone.
    if (req.url ~ "^/(admin|ckeditor|media|static|blog/preview)/" ||
        req.url ~ "^/healthz") {
        return (pass);
    }
    # Staff: their pages may show what the public may not. (The session
    # cookie's name is Django's SESSION_COOKIE_NAME.)
    if (req.http.Cookie ~ "(^|;\s*)sessionid=" || req.http.Authorization) {
        return (pass);
    }
    # Anyone else sees the same page, whatever cookies they send (a csrftoken
    # from a login form, analytics): the site's own page cache does the same.
    unset req.http.Cookie;
    # Campaign tags no page reads: one copy of a shared link, not one a tag.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    set req.url = std.querysort(req.url);
    # Pages past their time only while no app server answers (see vcl_backend_response).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hit {
    set req.http.X-Cache = "HIT";
}

sub vcl_miss {
    set req.http.X-Cache = "MISS";
}

sub vcl_pass {
    set req.http.X-Cache = "PASS";
}

sub vcl_backend_response {
    # Only what the site says the edge may keep: a page with s-maxage (never
    # with a cookie, never private). Its time is bounded by the site's next
    # scheduled change, so a post due at noon is not kept past noon.
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Cache-Control !~ "s-maxage=[1-9]" ||
        beresp.http.Cache-Control ~ "(private|no-store|no-cache)" ||
        beresp.http.Set-Cookie ||
        beresp.http.Vary == "*") {
        # Not kept, and the next request for it goes to the site, not queued
        # behind this one (hit-for-miss).
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # What belongs to one answer, not to the page.
    unset beresp.http.X-Page-Cache;
    unset beresp.http.X-Request-ID;
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    # One app server gone between health checks: try the other, for reads.
    if (bereq.retries == 0 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
    # None answers, and this page is not kept: the site's own words for it.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "30";
    synthetic({"<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">"} +
        {"<title>Sorry, the site is unavailable | Heseltine Institute</title></head>"} +
        {"<body><main><h1>Sorry, the site is unavailable</h1>"} +
        {"<p>Please try again in a minute or two.</p></main></body></html>"});
    return (deliver);
}

sub vcl_deliver {
    set resp.http.X-Cache = req.http.X-Cache;
    # Only this Varnish may keep the page: a cache beyond it is never told of
    # a change. Browsers get the site's own "max-age=0, must-revalidate".
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(resp.http.Cache-Control, ",?\s*s-maxage=\d+", "");
    }
    # The request's own id (nginx's), not that of the request that filled the cache.
    if (req.http.X-Request-ID) {
        set resp.http.X-Request-ID = req.http.X-Request-ID;
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
