"""Accounts in the admin: superusers manage every account, editors contributors'.

Editors may view, add and change accounts (blog.roles), and this admin keeps
them to contributors' accounts, on the server: the list, every page of an
account (change, password, history) and the autocomplete find no other
account; the forms they get have no field for staff status, superuser
status, groups or permissions, and whatever is posted, an account an editor
saves is a staff account in the Contributors group and nothing more. A new
contributor gets an email with a link to choose their own password (Django's
password reset link, valid for PASSWORD_RESET_TIMEOUT); editors can send
another, set a password, or deactivate the account.
"""

import smtplib

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from blog.roles import CONTRIBUTORS

User = get_user_model()
LINK_DAYS = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)


def contributor_accounts(users):
    """The accounts among `users` that are contributors' and no more.

    In the Contributors group and no other, not superusers, and with no
    permissions of their own.
    """
    groups = User.groups.through.objects.filter(user=OuterRef("pk"))
    permissions = User.user_permissions.through.objects.filter(user=OuterRef("pk"))
    return (
        users.filter(is_superuser=False)
        .filter(Exists(groups.filter(group__name=CONTRIBUTORS)))
        .exclude(Exists(groups.exclude(group__name=CONTRIBUTORS)))
        .exclude(Exists(permissions))
    )


def send_password_link(user, *, invited_by=None):
    """Email `user` a link to choose a password: an invitation, or a reset.

    Django's password reset token and page: the link works once, for
    PASSWORD_RESET_TIMEOUT, and not after the password or a login changes.
    Raises OSError or SMTPException when the mail cannot be sent.
    """
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "invited_by": invited_by,
        "link": settings.SITE_URL + path,
        "days": LINK_DAYS,
        "site_name": admin.site.site_title,
    }
    kind = "invitation" if invited_by else "password_link"
    subject = render_to_string(f"admin/auth/user/{kind}_subject.txt", context)
    body = render_to_string(f"admin/auth/user/{kind}_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


class InvitationForm(forms.ModelForm):
    """A new contributor: who they are, and where to send their invitation."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.required = True
        email.help_text = (
            f"We email them a link to choose their password; it works for "
            f"{LINK_DAYS} days."
        )

    def clean_username(self):
        # As Django's own account form: "Cleo" and "cleo" are one name.
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                "An account with this username already exists.", code="unique"
            )
        return username


class AccountAdmin(UserAdmin):
    """Django's user admin for superusers; contributors' accounts for editors."""

    contributor_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        (
            "Access",
            {
                "fields": ["is_active", "last_login", "date_joined"],
                "description": "Untick “Active” to stop them logging in; their "
                "posts stay. To set a password for them, use the button under "
                "Password above; to email them a link to choose one, the "
                "list’s action.",
            },
        ),
    ]
    invitation_fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email"]}),
    ]
    actions = ["email_password_link", "deactivate"]

    def get_queryset(self, request):
        accounts = super().get_queryset(request)
        if request.user.is_superuser:
            return accounts
        return contributor_accounts(accounts)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.contributor_fieldsets if obj else self.invitation_fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = InvitationForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def get_list_display(self, request):
        if request.user.is_superuser:
            return super().get_list_display(request)
        return ["username", "first_name", "last_name", "email", "is_active"]

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return super().get_list_filter(request)
        return ["is_active"]

    def add_view(self, request, form_url="", extra_context=None):
        context = {"inviting": not request.user.is_superuser, **(extra_context or {})}
        return super().add_view(request, form_url, context)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # Whatever was posted: a contributor's account, no more.
            obj.is_staff = True
            obj.is_superuser = False
            if not change:
                obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not request.user.is_superuser:
            user = form.instance
            user.groups.set([Group.objects.get(name=CONTRIBUTORS)])
            self._send(request, user, invited_by=request.user)

    def _send(self, request, user, invited_by=None):
        try:
            send_password_link(user, invited_by=invited_by)
        except (OSError, smtplib.SMTPException):
            self.message_user(
                request,
                f"The email to {user.email} could not be sent. Try again later "
                "from the list of accounts, or set a password for "
                f"{user.get_username()} on their account's page.",
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            f"We emailed {user.email} a link to choose a password, valid for "
            f"{LINK_DAYS} days.",
            messages.SUCCESS,
        )

    @admin.action(
        description="Email a link to choose a new password", permissions=["change"]
    )
    def email_password_link(self, request, queryset):
        for user in queryset:
            if not user.is_active or not user.email:
                self.message_user(
                    request,
                    f"No email sent to {user.get_username()}: the account is "
                    "inactive or has no email address.",
                    messages.WARNING,
                )
                continue
            self._send(request, user)

    @admin.action(
        description="Deactivate selected accounts (they can no longer log in)",
        permissions=["change"],
    )
    def deactivate(self, request, queryset):
        count = 0
        for user in queryset.exclude(pk=request.user.pk).filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            self.log_change(request, user, "Deactivated (admin action).")
            count += 1
        noun = "account" if count == 1 else "accounts"
        self.message_user(request, f"{count} {noun} deactivated.", messages.SUCCESS)


def register(site=admin.site):
    """Put this admin in place of Django's own for accounts."""
    site.unregister(User)
    site.register(User, AccountAdmin)
