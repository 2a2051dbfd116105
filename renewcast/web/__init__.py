"""renewcast.web"""
