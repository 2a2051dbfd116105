"""renewcast.answer"""
