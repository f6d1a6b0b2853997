"""sahelwatch.places"""
