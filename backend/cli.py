"""flask commands: seed-demo, create-user, tick, worker, calendar-override, import-roster."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app

from backend.errors import DomainError
from backend.extensions import db
from backend.models import Role


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo county (idempotent; refused when APP_ENV=production)."""
    from backend.services.demo import seed_demo

    try:
        added = seed_demo(db.session, current_app.config["APP_ENV"])
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"demo data: {added}")


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--region-code", required=True)
@click.password_option()
def create_user_command(username, name, role, region_code, password):
    """Create a staff, agent or admin account."""
    from backend.services import regions, users

    try:
        region = regions.get_by_code(db.session, region_code)
        user = users.create_user(
            db.session,
            role=Role(role),
            name=name,
            username=username,
            password=password,
            region=region,
        )
    except DomainError as error:
        raise click.ClickException(f"{error.message} {error.details or ''}".strip()) from None
    db.session.commit()
    click.echo(f"created user {user.id} ({username}, {role})")


@click.command("tick")
@click.option("--date", "day", help="Shanghai business date to run, YYYY-MM-DD (default today)")
def tick_command(day):
    """Run the daily rules for one date (catch up after downtime)."""
    from backend.services import clock, daily

    target = _date(day) or clock.today()
    if target > clock.today() and current_app.config["APP_ENV"] == "production":
        raise click.ClickException("production runs the daily rules only up to today")
    result = daily.run_daily(db.session, target)
    db.session.commit()
    click.echo(result)


@click.command("worker")
@click.option("--queues", "-q", multiple=True, help="queues to serve (default: all)")
@click.option("--burst", is_flag=True, help="stop when the queues are empty")
def worker_command(queues, burst):
    """An RQ worker running jobs inside this app, with the scheduler (for retries)."""
    from rq import Worker

    from backend.jobs.context import use_app
    from backend.redis_connection import get_redis

    use_app(current_app._get_current_object())
    names = list(queues) or list(current_app.config["RQ_QUEUES"])
    Worker(names, connection=get_redis()).work(with_scheduler=True, burst=burst)


@click.command("calendar-override")
@click.argument("day")
@click.option("--working/--off", required=True, help="make-up working day, or extra day off")
@click.option("--note", default="")
def calendar_override_command(day, working, note):
    """Load one day of a newly published official schedule (wins over the package)."""
    from backend.services.workdays import set_override

    set_override(db.session, _date(day), working, note)
    db.session.commit()
    click.echo(f"{day}: {'working day' if working else 'day off'}")


@click.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--region-code", help="the county (default: the deployment's only county)")
@click.option("--now", is_flag=True, help="run here and now instead of through the RQ queue")
def import_roster_command(file, region_code, now):
    """免申即享: import a hukou roster (CSV or XLSX) and enrol every eligible person."""
    from pathlib import Path

    from backend.services import clock, elderly_roster, regions
    from backend.services.storage import storage

    path = Path(file)
    try:
        roster = elderly_roster.create(
            db.session,
            county=regions.county_for(db.session, region_code),
            data=path.read_bytes(),
            file_name=path.name,
            store=storage(),
            today=clock.today(),
        )
    except DomainError as error:
        raise click.ClickException(f"{error.message} {error.details or ''}".strip()) from None
    db.session.commit()
    if not now:
        elderly_roster.request_run(roster.id)
        click.echo(f"roster import {roster.id} queued")
        return
    roster = elderly_roster.run(db.session, roster.id, storage(), db.session.commit)
    click.echo(
        f"roster import {roster.id}: {roster.rows_done} rows, {roster.enrolled} enrolled, "
        f"{roster.skipped} skipped, {roster.deaths} deaths, {roster.error_count} errors"
    )


def init_app(app: Flask) -> None:
    for command in (
        seed_demo_command,
        create_user_command,
        tick_command,
        worker_command,
        calendar_override_command,
        import_roster_command,
    ):
        app.cli.add_command(command)
