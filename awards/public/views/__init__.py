"""The public blueprints: pages, thank-you messages, feeds and sharing, certificates."""
