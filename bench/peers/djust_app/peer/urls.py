"""The same paths as our example server."""
from django.urls import path

from peer.views import CounterView, HomeView, RowsView

urlpatterns = [
    path("", HomeView.as_view()),
    path("counter/", CounterView.as_view()),
    path("rows/", RowsView.as_view()),
]
