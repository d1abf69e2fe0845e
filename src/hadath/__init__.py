"""hadath (حدث): Arabic conflict news to structured, geocoded, source-attributed event data."""

from .extract import extract
from .models import Article, Claim, Event, Evidence, Place, Span, Toll

__version__ = "0.6.0"
__all__ = ["Article", "Claim", "Event", "Evidence", "Place", "Span", "Toll", "extract",
           "__version__"]
