"""Request parsers that answer malformed bodies with 400, never 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, plus: absurdly nested documents are a parse error, not a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError() from error


PARSER_CLASSES = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
