"""`make bench` (bench/public_pages.py, split into the modules here) and `make
bench-newsletter` (bench/newsletter.py): reports, not tests (docs/development.md)."""
