from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200); the default size is settings' PAGE_SIZE."""

    page_size_query_param = "page_size"
    max_page_size = 200
