// Saves the admin UI's light/dark choice in the cookie the server reads before it renders a page (ThemeCookie.cs).
export function save(dark) {
    document.cookie = "SyncServer.Theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
}
