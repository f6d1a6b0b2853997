"""sahelwatch.blocs"""
