"""The fixed genre list (slug, name). Loaded by a data migration; searchable in forms and the API."""

GENRES = [
    ("acoustic", "Acoustic"), ("afrobeat", "Afrobeat"), ("alternative", "Alternative"), ("ambient", "Ambient"),
    ("americana", "Americana"), ("blues", "Blues"), ("bluegrass", "Bluegrass"), ("brass-band", "Brass band"),
    ("celtic", "Celtic"), ("chamber", "Chamber music"), ("classical", "Classical"), ("country", "Country"),
    ("covers", "Covers"), ("cumbia", "Cumbia"), ("dance", "Dance"), ("disco", "Disco"), ("drum-and-bass", "Drum and bass"),
    ("dub", "Dub"), ("electronic", "Electronic"), ("emo", "Emo"), ("experimental", "Experimental"),
    ("flamenco", "Flamenco"), ("folk", "Folk"), ("funk", "Funk"), ("garage-rock", "Garage rock"), ("gospel", "Gospel"),
    ("grunge", "Grunge"), ("hardcore", "Hardcore"), ("hip-hop", "Hip-hop"), ("house", "House"), ("indie", "Indie"),
    ("indie-pop", "Indie pop"), ("indie-rock", "Indie rock"), ("jazz", "Jazz"), ("klezmer", "Klezmer"),
    ("latin", "Latin"), ("metal", "Metal"), ("motown", "Motown"), ("neo-soul", "Neo-soul"), ("new-wave", "New wave"),
    ("pop", "Pop"), ("pop-punk", "Pop punk"), ("post-punk", "Post-punk"), ("post-rock", "Post-rock"),
    ("psychedelic", "Psychedelic"), ("punk", "Punk"), ("r-and-b", "R&B"), ("reggae", "Reggae"), ("rock", "Rock"),
    ("rockabilly", "Rockabilly"), ("shoegaze", "Shoegaze"), ("singer-songwriter", "Singer-songwriter"), ("ska", "Ska"),
    ("soul", "Soul"), ("stoner-rock", "Stoner rock"), ("surf", "Surf"), ("swing", "Swing"), ("synth-pop", "Synth-pop"),
    ("techno", "Techno"), ("trip-hop", "Trip-hop"), ("wedding-band", "Wedding band"), ("world", "World"),
]
