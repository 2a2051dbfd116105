"""renewcast.store"""
