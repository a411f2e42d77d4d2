"""/w/<workspace>/inbox/…"""

from django.urls import path

from sauti.inbox import actions, settings_views, views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_home, name="home"),
    path("list/", views.chat_list, name="list"),
    path("bulk/", actions.bulk, name="bulk"),
    path("availability/", actions.availability, name="availability"),
    path("collections/", actions.save_collection, name="collection-save"),
    path("collections/<str:collection>/delete/", actions.delete_collection, name="collection-delete"),
    path("settings/", settings_views.inbox_settings, name="settings"),
    path("settings/labels/", settings_views.label_create, name="label-create"),
    path("settings/labels/<str:label>/delete/", settings_views.label_delete, name="label-delete"),
    path("<str:chat>/", views.inbox_chat, name="chat"),
    path("<str:chat>/thread/", views.chat_thread, name="thread"),
    path("<str:chat>/reply/", actions.reply, name="reply"),
    path("<str:chat>/template/", actions.send_template, name="template"),
    path("<str:chat>/note/", actions.add_note, name="note"),
    path("<str:chat>/assign/", actions.assign, name="assign"),
    path("<str:chat>/unassign/", actions.unassign, name="unassign"),
    path("<str:chat>/close/", actions.close, name="close"),
    path("<str:chat>/reopen/", actions.reopen, name="reopen"),
    path("<str:chat>/hand-back/", actions.hand_back, name="hand-back"),
    path("<str:chat>/labels/", actions.label, name="label"),
    path("<str:chat>/labels/<str:label>/remove/", actions.unlabel, name="unlabel"),
    path("<str:chat>/profile/", actions.profile, name="profile"),
    path("<str:chat>/messages/<str:message>/label/", actions.message_label, name="message-label"),
    path("<str:chat>/messages/<str:message>/done/", actions.message_done, name="message-done"),
    path("<str:chat>/messages/<str:message>/react/", actions.react, name="react"),
]
