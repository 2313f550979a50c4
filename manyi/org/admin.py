from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from manyi.org.models import Staff, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "unit", "role", "position", "is_active"]
    list_filter = ["role", "position", "is_active"]
    search_fields = ["username", "full_name", "code"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "manyi",
            {"fields": ("full_name", "code", "unit", "role", "position", "phone", "hired_on")},
        ),
    )
