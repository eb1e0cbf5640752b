# Reports read the blocks app's records; they keep no tables of their own yet.
