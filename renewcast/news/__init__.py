"""renewcast.news"""
