"""The admin shell's pages, one blueprint per topic module."""
