"""The account admin with its hardening actions. Registered here, over the accounts app's own,
because the actions write audit entries and the accounts app sits below audit in the flow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ita.accounts.admin import ITAUserAdmin
from ita.accounts.models import User
from ita.ops.services import do_disable_users
from ita.ops.twofactor import do_reset_second_factor


class OpsUserAdmin(ITAUserAdmin):
    actions = ["disable_accounts", "reset_second_factor"]

    @admin.action(description=_("ปิดบัญชีที่เลือกและออกจากระบบทันที"), permissions=["change"])
    def disable_accounts(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = do_disable_users(list(queryset), actor=request.user)
        message = ngettext(
            "ปิดบัญชีแล้ว %(count)d บัญชี ผู้ใช้ถูกออกจากระบบทุกอุปกรณ์",
            "ปิดบัญชีแล้ว %(count)d บัญชี ผู้ใช้ถูกออกจากระบบทุกอุปกรณ์",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("ล้างการยืนยันตัวตนขั้นที่สอง (โทรศัพท์หาย)"), permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        users = [u for u in queryset if u.pk != request.user.pk]  # your own needs another admin
        for user in users:
            do_reset_second_factor(user, actor=request.user)
        message = _("ล้างแล้ว %(count)d บัญชี ผู้ใช้ต้องตั้งค่าแอปยืนยันตัวตนใหม่เมื่อเข้าสู่ระบบครั้งถัดไป")
        self.message_user(request, message % {"count": len(users)}, messages.SUCCESS)


admin.site.unregister(User)
admin.site.register(User, OpsUserAdmin)
