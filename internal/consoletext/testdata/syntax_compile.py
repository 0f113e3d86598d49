compile("x = (1,\n  2 +* 3)", "<config>", "exec")
