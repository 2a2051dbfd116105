"""renewcast: will there be another season?"""

__version__ = "0.1.0"
