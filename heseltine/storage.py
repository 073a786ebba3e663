"""Where uploads are kept: this machine's disk, or an S3-compatible bucket.

Several app servers need one set of uploads, so the bucket (django-storages'
S3 backend, which speaks to AWS S3 and to services compatible with it). Its
URLs are written into image manifests and posts' HTML, so they are public and
lasting: unsigned, and best under a domain of the site's own
(AWS_S3_CUSTOM_DOMAIN), which stays when the bucket changes (a restore into
a new bucket, another provider).
"""

# Uploads never change under their name (a new one gets a new name), but a
# deleted name can be used again: a day, not a year.
MEDIA_CACHE_CONTROL = "public, max-age=86400"


def s3_storage(
    *,
    bucket,
    endpoint_url=None,
    region=None,
    custom_domain=None,
    url_protocol="https:",
    location="",
):
    """The STORAGES entry for media in an S3-compatible bucket.

    Credentials are boto3's own: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
    in the environment, or the machine's role.
    """
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region,
            "custom_domain": custom_domain,
            "url_protocol": url_protocol,
            "location": location,
            # Plain URLs: a signed one would expire in the pages that keep it.
            "querystring_auth": False,
            # Django's rule, not S3's: an upload never replaces another file.
            "file_overwrite": False,
            # Who may read is the bucket's policy, not each object's ACL.
            "default_acl": None,
            # Content-Type comes from the name, whose extension is that of the
            # format found in the file (heseltine.images).
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    }
