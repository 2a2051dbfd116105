"""renewcast.sources"""
