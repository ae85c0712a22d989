"""`waspada check [--deploy]`: Django's system checks, and with --deploy Waspada's production checks.

Django's own command, with two differences: ``--deploy`` also runs the database checks
(Waspada's deployment checks read the database: reachable, migrated, a live worker) and the
report is in Indonesian, errors first, each with its fix. Exit status 1 when any error (or
anything at ``--fail-level``) is found, 0 otherwise.
"""

from __future__ import annotations

from typing import Any, cast

from django.core import checks
from django.core.checks import CheckMessage
from django.core.management.base import SystemCheckError
from django.core.management.commands import check
from django.db.models.base import ModelBase
from django.utils.translation import gettext as _

_GROUPS = (
    (checks.CRITICAL, None, "KRITIS"),
    (checks.ERROR, checks.CRITICAL, "GALAT"),
    (checks.WARNING, checks.ERROR, "PERINGATAN"),
    (checks.INFO, checks.WARNING, "INFO"),
)


class Command(check.Command):
    help = (
        "Memeriksa instalasi; dengan --deploy juga kesiapan produksi (kunci, host, HTTPS, basis data, "
        "pekerja, berkas statis) / check the installation; --deploy checks production readiness."
    )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if options["deploy"] and not options["databases"]:
            options["databases"] = ["default"]
        super().handle(*app_labels, **options)
        if not options["deploy"] and not options["list_tags"]:
            self.stdout.write(_("Untuk pemeriksaan produksi: waspada check --deploy"))

    def check(
        self,
        app_configs: Any = None,
        tags: Any = None,
        display_num_errors: bool = False,
        include_deployment_checks: bool = False,
        fail_level: int = checks.ERROR,
        databases: Any = None,
    ) -> None:
        """Run the checks and print them grouped, in Indonesian; raise on ``fail_level``."""
        issues: list[CheckMessage] = [
            issue
            for issue in checks.run_checks(
                app_configs=app_configs,
                tags=tags,
                include_deployment_checks=include_deployment_checks,
                databases=databases,
            )
            if not issue.is_silenced()
        ]
        body = []
        for low, high, title in _GROUPS:
            group = sorted(
                (i for i in issues if i.level >= low and (high is None or i.level < high)),
                key=lambda i: str(i.id),
            )
            if not group:
                continue
            body.append(f"\n{title} ({len(group)}):")
            for issue in group:
                line = f"{_subject(issue)}[{issue.id}] {issue.msg}"
                if issue.hint:
                    line += "\n    " + _("Perbaikan: %(hint)s") % {"hint": issue.hint}
                body.append(self.style.ERROR(line) if issue.is_serious() else self.style.WARNING(line))
        errors = sum(1 for i in issues if i.level >= checks.ERROR)
        warnings = sum(1 for i in issues if checks.WARNING <= i.level < checks.ERROR)
        summary = _("Pemeriksaan selesai: %(errors)d galat, %(warnings)d peringatan.") % {
            "errors": errors,
            "warnings": warnings,
        }
        failed = any(i.level >= fail_level for i in issues)
        text = "\n".join(body)
        if failed:
            raise SystemCheckError(
                _("Pemeriksaan menemukan masalah:")
                + "\n"
                + text
                + "\n\n"
                + summary
                + "\n"
                + _("Instalasi BELUM siap; perbaiki yang di atas lalu jalankan lagi.")
            )
        if text:
            self.stderr.write(text.lstrip("\n"))
        if display_num_errors:
            self.stdout.write(self.style.SUCCESS(summary) if not issues else summary)
            if include_deployment_checks:
                self.stdout.write(self.style.SUCCESS(_("Instalasi siap untuk produksi.")))


def _subject(issue: CheckMessage) -> str:
    """What a finding is about ("people.Person: "), as Django names it; nothing for settings."""
    if issue.obj is None:
        return ""
    if isinstance(issue.obj, ModelBase):
        return f"{cast(Any, issue.obj)._meta.label}: "
    return f"{issue.obj}: "
