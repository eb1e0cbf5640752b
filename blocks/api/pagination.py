from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from blocks.models.base import INT_MAX


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 200); the default size is settings' PAGE_SIZE.

    A page size that is not a whole number in range is a 400 naming `page_size` (DRF
    would quietly use the default); a page past the end is DRF's 404 "Invalid page.".
    """

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": INT_MAX},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
