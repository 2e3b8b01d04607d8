def test_init_and_villages(cli):
    r = cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    assert r.code == 0, r.err
    assert cli("villages", "add", "高桥村", "--groups", "4").code == 0
    listed = cli("--json", "villages", "list").json["villages"]
    assert [(v["name"], v["groups"]) for v in listed] == [("高桥村", 4)]
