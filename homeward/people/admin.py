from __future__ import annotations

from django.contrib import admin

from homeward.people.models import Person, PersonName


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["id", "display_name", "sex", "birth_precision", "nationality"]
    inlines = [PersonNameInline]
    search_fields = ["names__full_name", "names__search_key"]
