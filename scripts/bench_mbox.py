"""Writes an Agora database's program as an mbox, for neomutt to open side by side (scripts/bench).

Same messages, same threads, same read state: one message per post; a topic's opening post starts
a thread, a reply to a post answers that post (In-Reply-To), a reply to the topic answers the
opening post. Posts the reader has read carry "Status: RO". Reads the database read-only.
"""
import datetime
import sqlite3


def export(db_path, mbox_path, reader):
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    opener = dict(con.execute("SELECT topicId, min(id) FROM post GROUP BY topicId"))
    read_upto = dict(con.execute("SELECT topicId, lastReadPostId FROM readState WHERE login = ?", (reader,)))
    names = dict(con.execute("SELECT login, name FROM peer"))
    titles = dict(con.execute("SELECT id, title FROM topic"))
    count = 0
    with open(mbox_path, "w", encoding="utf-8") as out:
        chunk = []
        for pid, tid, parent, author, body, created in con.execute(
                "SELECT id, topicId, parentId, author, body, created FROM post ORDER BY id"):
            when = datetime.datetime.fromisoformat(created[:19])
            root = opener[tid]
            title = titles[tid]
            lines = ["From %s@agora.bench %s" % (author, when.strftime("%a %b %d %H:%M:%S %Y")),
                     "From: %s <%s@agora.bench>" % (names.get(author, author).replace("\n", " "), author),
                     "Subject: %s%s" % ("" if pid == root else "Re: ", title),
                     "Date: %s +0000" % when.strftime("%a, %d %b %Y %H:%M:%S"),
                     "Message-ID: <p%d@agora.bench>" % pid]
            if pid != root:
                lines.append("In-Reply-To: <p%d@agora.bench>" % (parent or root))
                lines.append("References: <p%d@agora.bench>" % root if not parent or parent == root
                             else "References: <p%d@agora.bench> <p%d@agora.bench>" % (root, parent))
            lines.append("Content-Type: text/plain; charset=utf-8")
            if pid <= read_upto.get(tid, 0):
                lines.append("Status: RO")
            lines.append("")
            for b in body.split("\n"):
                lines.append(">" + b if b.startswith("From ") or b.startswith(">From ") else b)
            lines.append("")
            chunk.append("\n".join(lines) + "\n")
            count += 1
            if len(chunk) >= 5000:
                out.write("".join(chunk))
                chunk = []
        out.write("".join(chunk))
    topics = len(titles)
    con.close()
    return count, topics
