from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Survey respondents never have accounts."""

    display_name = models.CharField(_("ชื่อที่แสดง"), max_length=150, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    PROGRAM_ADMIN = "program_admin", _("ผู้ดูแลโครงการ")
    COORDINATOR = "coordinator", _("ผู้ประสานงานหน่วยงาน")
    ASSESSOR = "assessor", _("ผู้ประเมิน")
    VIEWER = "viewer", _("ผู้ดูข้อมูล")


class Membership(models.Model):
    """A role held on a unit; it applies to that unit and every unit below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("ผู้ใช้"))
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("หน่วยงาน")
    )
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        verbose_name = _("สิทธิ์ในหน่วยงาน")
        verbose_name_plural = _("สิทธิ์ในหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


# Who does something: a signed-in user; the anonymous visitor a view's ``request.user`` may be
# (services record no actor for one); or nobody, for a command or the demo loader.
Actor: TypeAlias = User | AnonymousUser | None


def signed_in(actor: Actor) -> User | None:
    """The user to store as who did something: nobody for an anonymous visitor or a command."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None
