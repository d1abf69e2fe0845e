"""One base exception with stable codes and exit codes; the CLI turns them into messages."""

from __future__ import annotations


class HadathError(Exception):
    """Base error. ``code`` is stable (search it in the README); ``exit_code`` is for the CLI."""

    code = "H000"
    exit_code = 1

    def __str__(self) -> str:
        return f"{self.args[0] if self.args else ''} [{self.code}]"


class LexiconError(HadathError):
    """A lexicon or gazetteer data file is malformed."""

    code = "H010"
    exit_code = 10


class GazetteerError(HadathError):
    """A gazetteer store or an import file cannot be used."""

    code = "H011"
    exit_code = 11


class StoreError(HadathError):
    """The event store cannot be opened or is of a newer schema."""

    code = "H030"
    exit_code = 12


class ExportError(HadathError):
    """An export or an evaluation cannot be done (format, path, empty store, reference file)."""

    code = "H040"
    exit_code = 13


class ClusterError(HadathError):
    """A Dask cluster cannot be used (not installed, unreachable, a bad --cluster)."""

    code = "H050"
    exit_code = 14


class ServeError(HadathError):
    """``hadath serve`` cannot listen where asked (the port is taken, not allowed, no such address)."""

    code = "H060"
    exit_code = 16


class InputError(HadathError):
    """The input cannot be read as Arabic news text."""

    code = "H020"
    exit_code = 3


class InputMissing(InputError):
    code = "H021"
    exit_code = 3


class EmptyInput(InputError):
    code = "H022"
    exit_code = 4


class BinaryInput(InputError):
    code = "H023"
    exit_code = 5


class WrongEncoding(InputError):
    code = "H024"
    exit_code = 6


class NoArabic(InputError):
    code = "H025"
    exit_code = 7


class BadRecord(InputError):
    """One record of a batch (a JSON Lines line) is unusable; the batch goes on."""

    code = "H026"
    exit_code = 8


class TooLarge(InputError):
    """An article (a file, a JSON line, a feed entry, standard input) over the size limit of
    one article (:data:`hadath.ingest.MAX_ARTICLE_BYTES`)."""

    code = "H027"
    exit_code = 9


class AllSkipped(InputError):
    """An ingest stored nothing: every input was skipped or not read, or none was found."""

    code = "H028"
    exit_code = 15


class WatchError(HadathError):
    """``hadath watch``: a sources file or option that cannot be used, or a round in which
    every source failed."""

    code = "H070"
    exit_code = 17


class AlertError(HadathError):
    """``hadath alerts``: a rules file that cannot be used (TOML, unknown fields, channels)."""

    code = "H080"
    exit_code = 18


class BriefError(HadathError):
    """``hadath brief``: a period, area or output that cannot be used, or no PDF renderer."""

    code = "H090"
    exit_code = 19
