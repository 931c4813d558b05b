from django.contrib import admin

from winroom.imports.models import ImportedKey, ImportJob, ImportMapping


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "updated_at"]
    list_filter = ["kind"]


@admin.register(ImportedKey)
class ImportedKeyAdmin(admin.ModelAdmin):
    list_display = ["kind", "source", "external_id", "object_id"]
    list_filter = ["kind", "source"]
    search_fields = ["external_id"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "status", "created_by", "created", "updated", "refused"]
    list_filter = ["kind", "status"]
    exclude = ["content"]
    readonly_fields = ["report"]
