"""Views: parse the request, call one service, render. No rule lives here."""
