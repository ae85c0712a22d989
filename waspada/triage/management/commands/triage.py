"""``waspada triage evaluate FILE.jsonl [--out PRED.jsonl]`` and ``waspada triage train``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Triase teks bebas: evaluasi saran pada berkas berlabel, atau latih model dari laporan terverifikasi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="Ukur saran terhadap berkas JSONL berlabel.")
        evaluate.add_argument("file", type=Path)
        evaluate.add_argument(
            "--out", type=Path, default=None, help="Tulis saran per baris ke berkas JSONL ini."
        )
        evaluate.add_argument(
            "--starting-model",
            action="store_true",
            help="Pakai model awal (teks latih bawaan dan leksikon), bukan model hasil `triage train`.",
        )
        sub.add_parser(
            "train", help="Latih model dari teks bawaan, laporan terverifikasi dan koreksi analis."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "evaluate":
            self._evaluate(options["file"], options["out"], starting=options["starting_model"])
        else:
            self._train()

    def _evaluate(self, path: Path, out: Path | None, *, starting: bool) -> None:
        from waspada.triage.classify import starting_model
        from waspada.triage.evaluate import evaluate_file

        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            result = evaluate_file(path, out=out, model=starting_model() if starting else None)
        except (ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)

    def _train(self) -> None:
        from waspada.triage.training import train_and_save

        summary = train_and_save()
        self.stdout.write(
            f"Model dilatih dari {summary.seed} teks awal, {summary.reports} laporan terverifikasi dan "
            f"{summary.corrections} koreksi; disimpan di {summary.path} ({summary.trained_at})"
        )
