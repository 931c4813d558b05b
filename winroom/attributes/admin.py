from django.contrib import admin

from winroom.attributes.models import AttributeDefinition


@admin.register(AttributeDefinition)
class AttributeDefinitionAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "target", "type", "position", "filterable", "active")
    list_filter = ("target", "type", "active")
