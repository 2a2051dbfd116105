"""renewcast.forecast"""
