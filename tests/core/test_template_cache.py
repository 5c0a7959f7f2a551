"""Compiled templates are kept on disk: a new process (a restart, a job worker, a command)
loads them instead of compiling them again, and never uses a copy older than its source."""
from awards import create_app
from tests.conftest import make_config


def compiled_in(app, names):
    """The templates among `names` this app compiled from source."""
    compiled = []
    compile_source = app.jinja_env.compile

    def counting(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_source(source, name, filename, raw, defer_init)

    app.jinja_env.compile = counting
    for name in names:
        app.jinja_env.get_template(name)
    return compiled


def test_a_new_process_loads_compiled_templates_from_disk(tmp_path):
    names = ["base.html", "public/home.html"]

    first = compiled_in(create_app(make_config(tmp_path)), names)
    second = compiled_in(create_app(make_config(tmp_path)), names)

    assert first == names and second == []
    assert any((tmp_path / "template-cache").iterdir())


def test_a_changed_template_is_compiled_again(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "note.html").write_text("one")
    first = create_app(make_config(tmp_path))
    first.jinja_loader.searchpath.insert(0, str(folder))
    assert first.jinja_env.get_template("note.html").render() == "one"

    (folder / "note.html").write_text("two")
    second = create_app(make_config(tmp_path))
    second.jinja_loader.searchpath.insert(0, str(folder))
    assert second.jinja_env.get_template("note.html").render() == "two"


def test_the_cache_can_be_turned_off(tmp_path):
    app = create_app(make_config(tmp_path, TEMPLATE_CACHE_DIR=""))
    assert app.jinja_env.bytecode_cache is None


def test_a_folder_that_cannot_be_made_only_turns_the_cache_off(tmp_path):
    (tmp_path / "a-file").write_text("")
    app = create_app(make_config(tmp_path, TEMPLATE_CACHE_DIR=str(tmp_path / "a-file" / "x")))
    assert app.jinja_env.bytecode_cache is None
    assert app.jinja_env.get_template("base.html")
