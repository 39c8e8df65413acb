# The edge cache in front of Newsroom (Varnish 7 with xkey from varnish-modules).
#
# What Django's page cache would serve anonymously is served from here: pages carry the keys of
# what they show in `xkey` and their lifetime in `Surrogate-Control: max-age=N`, which Django
# computes so that it never passes the next go-live second (named in `Edge-Expires`). A public
# change sends `PURGE` with `xkey-purge: <keys>` (newsroom/edge.py). Anything with a session,
# the admin, previews and forms (POST) pass straight through. edge/varnish.py fills in the
# backend.
vcl 4.1;

import std;
import xkey;

backend django {
    .host = "__BACKEND_HOST__";
    .port = "__BACKEND_PORT__";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge missing"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.url ~ "^/(admin|konto|ckeditor5|i18n)/" ||
        req.url ~ "/vorschau/") {
        return (pass);
    }
    if (req.http.Cookie) {
        # Cookies public pages never read; whatever else remains (a session, messages) passes.
        set req.http.Cookie = regsuball(req.http.Cookie,
            "(^|;\s*)(csrftoken|django_language)=[^;]*", "");
        set req.http.Cookie = regsub(req.http.Cookie, "^;\s*", "");
        if (req.http.Cookie ~ "[^\s;]") {
            return (pass);
        }
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Control !~ "max-age=[0-9]+" || beresp.http.Set-Cookie ||
        beresp.http.Cache-Control ~ "private|no-store|no-cache") {
        # Only what Django's page cache vouches for is kept; a miss for a second, not longer,
        # so that a page appearing at its go-live second is fetched at once.
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    set beresp.ttl = std.duration(
        regsub(beresp.http.Surrogate-Control, ".*max-age=([0-9]+).*", "\1s"), 0s);
    if (beresp.http.Edge-Expires) {
        # max-age was counted when Django sent the page, which may reach us later: the next
        # go-live second itself bounds the TTL (an unreadable one keeps nothing).
        if (std.time(beresp.http.Edge-Expires, now) - now < beresp.ttl) {
            set beresp.ttl = std.time(beresp.http.Edge-Expires, now) - now;
        }
        if (beresp.ttl < 0s) {
            set beresp.ttl = 0s;
        }
    }
    # Never a stale page after its TTL: the TTL ends before the next go-live second.
    set beresp.grace = 0s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Control;
    unset resp.http.Edge-Expires;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
